/** A bench's command-line options: `--name value` and bare `--flag`. */
export function benchArgs(argv = process.argv.slice(2)) {
  const at = (name: string) => argv.indexOf(`--${name}`)
  return {
    argv,
    /** The value after `--name`, or the fallback. */
    option: (name: string, fallback: string): string => (at(name) >= 0 ? argv[at(name) + 1] : fallback),
    /** The number after `--name`, or the fallback. */
    number: (name: string, fallback: number): number => (at(name) >= 0 ? Number(argv[at(name) + 1]) : fallback),
    flag: (name: string): boolean => at(name) >= 0,
  }
}
