// Types for build-stamp.js, which is plain JavaScript so that it runs before anything is compiled.
export declare const installRoot: string
export declare const BUILD_DIR: string
export declare function sourceStamp(root?: string): string
export declare function sourceListing(root?: string): string
export declare function readStamp(dir?: string): string | undefined
export declare function stampFile(dir: string): string
export declare function buildIsCurrent(dir?: string): boolean
