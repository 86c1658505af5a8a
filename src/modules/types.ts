import type { Router } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { AccessService } from '../access/service.ts'
import type { AuditService } from '../audit/service.ts'
import type { NavItem } from '../web/nav.ts'
import type { DemoSeed } from '../demo/context.ts'
import type { Clock } from '../kernel/clock.ts'
import type { RequestContext } from '../kernel/context.ts'
import type { JobDefinition } from '../db/job-runner.ts'
import type { ReadReplica } from '../db/replica.ts'

/** A line on the home page about something waiting for the user. */
export interface Notice {
  text: string
  href: string
}

/**
 * One thing on a worklist: a link to where the work is done, how long it has waited and when it
 * is due. Only what the user may see: the lists read under row-level security like every page.
 */
export interface WorkItem {
  href: string
  /** Whose record (the child's name), or what the item is about. */
  name: string
  /** What is to be done, in a few words ("Review overdue"). */
  what: string
  /** How long it has waited, in words (kernel/elapsed.ts). */
  age: string
  /** When it is or was due: an ISO date, or a moment for due times within the day. */
  due: string | Date | null
  overdue: boolean
  /** A warning beside the item, such as a long wait for a manager. */
  flag?: string | null
}

/** A list of work of one kind on the home page, in the order the work should be done. */
export interface Worklist {
  key: string
  title: string
  /** Says what the list covers, under its heading. */
  hint: string
  items: WorkItem[]
  /** Where the full list is, when the home page shows only the first ones. */
  more?: { text: string; href: string } | null
}

/**
 * One capability's section of a person's subject access export (src/modules/people/subject-access.ts),
 * for records the people module cannot read without importing that capability.
 */
export interface SubjectAccessPart {
  section: string
  title: string
  /**
   * The records about the person, read under the row-level security the export sets (the
   * requester's agency, as its pages would show them). `flags` are keys of the export's
   * REDACTION_FLAGS.
   */
  read(person: { id: string; ownerAgencyId: string }): Promise<({ id: string; flags: string[] } & Record<string, unknown>)[]>
  /** Every record about the person, as ids and the agency that holds each: run as the owner, to say what the export leaves out. */
  census(personId: string): Promise<{ id: string; agency_name: string | null }[]>
}

/** What every capability is built from: the composition root hands the same set to each. */
export interface ModuleDeps {
  db: Db
  config: Config
  logger: Logger
  access: AccessService
  audit: AuditService
  /** "Today" and "now" for casework: the real time, or a chosen day in demos and tests. */
  clock: Clock
  /**
   * The streaming replica (REPLICA_DATABASE_URL) for the read-only analytics pages, when there is
   * one: read through `replicaReads` (src/db/replica.ts), which falls back to `db`. Never written.
   */
  replica?: ReadReplica
  /** Other capabilities' sections of a subject access export (LanternModule.subjectAccess), gathered by the app. */
  subjectAccessParts?: SubjectAccessPart[]
}

/**
 * A capability of Lantern. Routers are mounted in a fixed place: `publicRoutes` before sign-in,
 * `staffRoutes` behind it, `apiRoutes` under /api/v1 behind token authentication.
 */
export interface LanternModule {
  name: string
  nav?: NavItem[]
  publicRoutes?(deps: ModuleDeps): Router
  staffRoutes?(deps: ModuleDeps): Router
  apiRoutes?(deps: ModuleDeps): Router
  /** What the home page should tell this user now (things waiting for them), each with a link. */
  notices?(deps: ModuleDeps): (ctx: RequestContext) => Promise<Notice[]>
  /** The work of this capability waiting for this user, as lists for the home page. */
  worklists?(deps: ModuleDeps): (ctx: RequestContext) => Promise<Worklist[]>
  /** Values every signed-in page's layout needs from this capability (the header's unread count). */
  staffLocals?(deps: ModuleDeps): (ctx: RequestContext) => Promise<Record<string, unknown>>
  /**
   * Background and scheduled work (src/db/job-runner.ts), run by the server and `lantern worker`.
   * Jobs run as the database owner: one that tells a user anything applies need-to-know itself.
   */
  jobs?(deps: ModuleDeps): JobDefinition[]
  /** This capability's records about a person, for their subject access export. */
  subjectAccess?(deps: ModuleDeps): SubjectAccessPart
  /** Adds this capability's part of the demo story; runs in module order. */
  seedDemo?(seed: DemoSeed): Promise<void>
}

export type { NavItem, JobDefinition }
