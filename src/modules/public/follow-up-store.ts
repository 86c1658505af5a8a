import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** The receipts, questions and additions of the anonymous follow-up (migration 0741). */
export function followUpStore(db: Db) {
  return {
    reportIdByReference: async (reference: string) =>
      (await db.selectFrom('public_reports').select('id').where('reference', '=', reference).executeTakeFirst())?.id,

    /** A retried submission replaces a receipt the reporter never saw. */
    setReceipt: (reportId: string, receiptHash: string) =>
      db
        .insertInto('public_report_receipts')
        .values({ report_id: reportId, receipt_hash: receiptHash })
        .onConflict((oc) => oc.column('report_id').doUpdateSet({ receipt_hash: receiptHash }))
        .execute(),

    reportByReceipt: (receiptHash: string) =>
      db
        .selectFrom('public_report_receipts as k')
        .innerJoin('public_reports as r', 'r.id', 'k.report_id')
        .select(['r.id', 'r.reference', 'r.received_on'])
        .where('k.receipt_hash', '=', receiptHash)
        .executeTakeFirst(),

    hasReceipt: async (reportId: string) => Boolean(await db.selectFrom('public_report_receipts').select('report_id').where('report_id', '=', reportId).executeTakeFirst()),

    questions: (reportId: string) =>
      db
        .selectFrom('public_report_questions as q')
        .leftJoin('users as u', 'u.id', 'q.asked_by')
        .select(['q.id', 'q.text', 'q.asked_on', 'u.name as asked_by_name'])
        .where('q.report_id', '=', reportId)
        .orderBy('q.asked_on')
        .orderBy('q.id')
        .execute(),

    additions: (reportId: string) =>
      db.selectFrom('public_report_additions').select(['id', 'text', 'added_on', 'position']).where('report_id', '=', reportId).orderBy('position').execute(),

    insertQuestion: (v: { report_id: string; text: string; asked_on: string; asked_by: string }) =>
      db.insertInto('public_report_questions').values(v).returning('id').executeTakeFirstOrThrow(),

    /** Numbered within the report rather than timed: the order is kept, the time of day is not. */
    insertAddition: (v: { report_id: string; text: string; added_on: string }) =>
      db
        .insertInto('public_report_additions')
        .values({ ...v, position: sql<number>`(select coalesce(max(position), 0) + 1 from public_report_additions where report_id = ${v.report_id})` })
        .execute(),
  }
}
