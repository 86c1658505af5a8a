import type { Db } from '../../db/index.ts'

/** Links from scrutiny items to the strategy actions that answer them and the indicators that show progress. */
export function traceStore(db: Db) {
  return {
    actionsFor: (itemId: string) =>
      db
        .selectFrom('scrutiny_item_actions as l')
        .innerJoin('strategy_actions as a', 'a.id', 'l.action_id')
        .innerJoin('strategy_objectives as o', 'o.id', 'a.objective_id')
        .select(['a.id', 'a.title', 'a.status', 'a.due_date', 'o.id as objective_id', 'o.title as objective_title'])
        .where('l.item_id', '=', itemId)
        .orderBy('o.position')
        .orderBy('a.title')
        .execute(),
    indicatorsFor: (itemId: string) =>
      db
        .selectFrom('scrutiny_item_indicators as l')
        .innerJoin('indicators as i', 'i.id', 'l.indicator_id')
        .select(['i.id', 'i.slug', 'i.name'])
        .where('l.item_id', '=', itemId)
        .orderBy('i.name')
        .execute(),
    actionOptions: () =>
      db
        .selectFrom('strategy_actions as a')
        .innerJoin('strategy_objectives as o', 'o.id', 'a.objective_id')
        .select(['a.id', 'a.title', 'o.title as objective_title'])
        .orderBy('o.position')
        .orderBy('a.title')
        .execute(),
    indicatorOptions: () => db.selectFrom('indicators').select(['id', 'name']).where('active', '=', true).orderBy('name').execute(),
    actionExists: async (id: string) => Boolean(await db.selectFrom('strategy_actions').select('id').where('id', '=', id).executeTakeFirst()),
    indicatorExists: async (id: string) => Boolean(await db.selectFrom('indicators').select('id').where('id', '=', id).executeTakeFirst()),
    linkAction: (itemId: string, actionId: string, by: string) =>
      db.insertInto('scrutiny_item_actions').values({ item_id: itemId, action_id: actionId, linked_by: by }).onConflict((oc) => oc.doNothing()).executeTakeFirst(),
    linkIndicator: (itemId: string, indicatorId: string, by: string) =>
      db.insertInto('scrutiny_item_indicators').values({ item_id: itemId, indicator_id: indicatorId, linked_by: by }).onConflict((oc) => oc.doNothing()).executeTakeFirst(),
    unlinkAction: (itemId: string, actionId: string) => db.deleteFrom('scrutiny_item_actions').where('item_id', '=', itemId).where('action_id', '=', actionId).executeTakeFirst(),
    unlinkIndicator: (itemId: string, indicatorId: string) =>
      db.deleteFrom('scrutiny_item_indicators').where('item_id', '=', itemId).where('indicator_id', '=', indicatorId).executeTakeFirst(),
    /** The other way: the items each of these actions answers. */
    itemsForActions: (actionIds: string[]) =>
      actionIds.length ? db.selectFrom('scrutiny_item_actions').select(['item_id', 'action_id']).where('action_id', 'in', actionIds).execute() : Promise.resolve([]),
    itemsForIndicator: (indicatorId: string) => db.selectFrom('scrutiny_item_indicators').select('item_id').where('indicator_id', '=', indicatorId).execute(),
  }
}
