import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { ConflictError, NotFoundError } from '../../kernel/errors.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { contentStore, type PageContent } from './content-store.ts'
import { renderMarkdown } from './markdown.ts'
import { lineDiff } from './diff.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Public pages: read by anyone, edited by a partnership officer (content:edit), every version kept. */
export function contentService({ db, access, audit }: ModuleDeps) {
  const store = contentStore(db)

  async function editable(ctx: RequestContext, id: string) {
    await access.authorise(ctx, 'content:edit')
    if (!UUID.test(id)) throw new NotFoundError()
    const page = await store.page(id)
    if (!page) throw new NotFoundError()
    return page
  }

  return {
    /** A public page as the public sees it, rendered; undefined when there is no such page. */
    async publicPage(path: string) {
      const page = await store.pageByPath(path)
      if (!page) return undefined
      return { ...page, html: renderMarkdown(page.body) }
    },

    /** The audience pages, for the hub page and the side navigation. */
    async signsPages() {
      return (await store.pages()).filter((p) => p.section === 'signs' && p.path !== '/signs')
    },

    async helpPages() {
      return (await store.pages()).filter((p) => p.section === 'help')
    },

    async list(ctx: RequestContext) {
      await access.authorise(ctx, 'content:edit')
      return store.pages()
    },

    page: editable,

    preview: (body: string) => renderMarkdown(body),

    async history(ctx: RequestContext, id: string) {
      const page = await editable(ctx, id)
      return { page, versions: await store.versions(id) }
    },

    async version(ctx: RequestContext, id: string, version: number) {
      const page = await editable(ctx, id)
      const v = await store.version(id, version)
      if (!v) throw new NotFoundError()
      const previous = version > 1 ? await store.version(id, version - 1) : undefined
      return { page, version: v, html: renderMarkdown(v.body), diff: previous ? lineDiff(previous.body, v.body) : undefined, previous }
    },

    /** Publishes an edit as a new version; refuses (ConflictError, nothing saved) if someone published in between. */
    async publish(ctx: RequestContext, id: string, baseVersion: number, content: PageContent): Promise<number> {
      const page = await editable(ctx, id)
      const result = await db.transaction().execute(async (trx) => {
        const version = await store.publish(trx, id, baseVersion, content, ctx.user!.id)
        if (version === false) return false
        await audit.record(ctx, { action: 'update', recordType: 'public_page', recordId: id, details: { path: page.path, version, changeNote: content.changeNote } }, trx)
        return version
      })
      if (result === false) throw new ConflictError('Someone else published a change to this page since you opened it. Nothing you entered was published.')
      return result
    },

    /** Brings an old version back as the newest one. History is never rewritten. */
    async restore(ctx: RequestContext, id: string, version: number, baseVersion: number): Promise<number> {
      const old = await store.version(id, version)
      if (!old) throw new NotFoundError()
      return this.publish(ctx, id, baseVersion, { title: old.title, summary: old.summary, body: old.body, changeNote: `Restored version ${version}` })
    },

    async create(ctx: RequestContext, slug: string, content: PageContent): Promise<Result<string>> {
      await access.authorise(ctx, 'content:edit')
      const path = `/signs/${slug}`
      if (await store.pathTaken(path)) return { ok: false, errors: formErrors([{ field: 'slug', message: 'A page with this web address already exists' }]) }
      const id = await db.transaction().execute(async (trx) => {
        const pageId = await store.create(trx, path, content, ctx.user!.id)
        await audit.record(ctx, { action: 'create', recordType: 'public_page', recordId: pageId, details: { path } }, trx)
        return pageId
      })
      return { ok: true, value: id }
    },
  }
}

export type ContentService = ReturnType<typeof contentService>
