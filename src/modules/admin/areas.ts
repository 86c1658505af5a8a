import type { z } from 'zod'
import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import type { AreaKind } from '../../db/areas.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import type { areaSchema, newAreaSchema } from './schemas.ts'
import { areasStore } from './areas-store.ts'

const parentOptions = (areas: { id: string; name: string }[], except?: string) => areas.filter((a) => a.id !== except).map((a) => ({ value: a.id, text: a.name }))

/**
 * The areas page: each area's kind, parent, whether it is in the partnership (only those are
 * offered on the public report form and given police.uk rows) and its population. Administrators
 * of agencies keep it; every change is audited.
 */
export function areasAdmin({ db, access, audit }: ModuleDeps) {
  const store = areasStore(db)
  const list = store.list

  /** A parent must exist and must not be the area itself or below it (no loops). */
  async function parentProblem(parentId: string | undefined, areaId?: string): Promise<string | undefined> {
    if (!parentId) return undefined
    const rows = await store.selfAndAncestors(parentId)
    if (!rows.length) return 'Select the area it is part of'
    if (areaId && rows.some((r) => r.id === areaId)) return 'An area cannot be part of itself or of an area inside it'
    return undefined
  }

  const values = (input: z.infer<typeof areaSchema>) => ({
    kind: input.kind as AreaKind,
    parent_id: input.parentId ?? null,
    in_partnership: input.inPartnership === 'yes',
    population: input.population ?? null,
  })

  return {
    /** The areas one may be part of, as choices. */
    async parentOptions(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:agencies')
      return parentOptions(await list())
    },

    async areas(ctx: RequestContext) {
      await access.authorise(ctx, 'admin:agencies')
      return list()
    },

    async area(ctx: RequestContext, id: string) {
      await access.authorise(ctx, 'admin:agencies')
      const areas = await list()
      const area = areas.find((a) => a.id === id)
      if (!area) throw new NotFoundError()
      return { area, parents: parentOptions(areas, id) }
    },

    async addArea(ctx: RequestContext, input: z.infer<typeof newAreaSchema>): Promise<Result<string>> {
      await access.authorise(ctx, 'admin:agencies')
      const taken = await store.sameNameOrCode(input.name, input.code)
      const problems = [
        ...(taken.some((t) => t.name.toLowerCase() === input.name.toLowerCase()) ? [{ field: 'name', message: 'An area with this name already exists' }] : []),
        ...(taken.some((t) => t.code === input.code) ? [{ field: 'code', message: 'An area with this code already exists' }] : []),
      ]
      const parent = await parentProblem(input.parentId)
      if (parent) problems.push({ field: 'parentId', message: parent })
      if (problems.length) return { ok: false, errors: formErrors(problems) }
      const { id } = await store.insert({ name: input.name, code: input.code, ...values(input) })
      await audit.record(ctx, { action: 'create', recordType: 'area', recordId: id, details: { name: input.name, code: input.code, ...values(input) } })
      return { ok: true, value: id }
    },

    async updateArea(ctx: RequestContext, id: string, input: z.infer<typeof areaSchema>): Promise<Result<string>> {
      const { area } = await this.area(ctx, id)
      const parent = await parentProblem(input.parentId, id)
      if (parent) return { ok: false, errors: formErrors([{ field: 'parentId', message: parent }]) }
      await store.update(id, values(input))
      const before = { kind: area.kind, parent_id: area.parent_id, in_partnership: area.in_partnership, population: area.population }
      await audit.record(ctx, { action: 'update', recordType: 'area', recordId: id, details: { name: area.name, before, after: values(input) } })
      return { ok: true, value: area.name }
    },
  }
}
