import { MISSING_RECENT_DAYS, PAGE_SIZES, REVIEW_DUE_DAYS } from '../register/index.ts'
import { NOTES_PAGE_SIZE } from '../people/index.ts'
import { CAWN_EXPIRY_WARNING_DAYS, NRM_DECISION_WAIT_DAYS } from '../referrals/index.ts'

const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] })
const str = { type: 'string' }
const uuid = { type: 'string', format: 'uuid' }
const date = { type: 'string', format: 'date' }
const dateTime = { type: 'string', format: 'date-time' }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const named = { type: 'object', required: ['id', 'name'], properties: { id: uuid, name: nullable(str) } }
const rag = { type: 'string', enum: ['red', 'amber', 'green'] }
const meetingKind = { type: 'string', enum: ['strategy', 'mace', 'cp_conference'] }
/** What a meeting is called, in a list and on its own. */
const meetingHeading = { id: uuid, kind: meetingKind, kindText: str, heldOn: date, chair: str }
const json = (schema: Record<string, unknown>, description: string) => ({ description, content: { 'application/json': { schema } } })

const errors = {
  '401': { $ref: '#/components/responses/Unauthorised' },
  '403': { $ref: '#/components/responses/Forbidden' },
}
const personErrors = { ...errors, '400': { $ref: '#/components/responses/BadRequest' }, '404': { $ref: '#/components/responses/NotFound' } }
const idParam = { name: 'id', in: 'path', required: true, description: 'The person’s id', schema: uuid }

/**
 * The OpenAPI 3.1 description of /api/v1, written by hand beside the routes (src/modules/api/routes.ts);
 * a test checks it against the OpenAPI 3.1 schema and that every path here is served and every
 * route served is here.
 */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lantern API',
      version: '1.0.0',
      summary: 'Children and adults of concern, their risk assessments, missing episodes and case notes.',
      description:
        'Read access to Lantern for partner systems and analysts. Authenticate with a personal API token an administrator issues (Administration → API tokens): `Authorization: Bearer lantern_pat_…`. A token acts as the user it was issued for: the same role, the same need-to-know (records owned by their agency or shared with their agency or with them), the same police-only rules, and every read is written to the audit trail exactly as the pages do.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerToken: [] }],
    tags: [{ name: 'people', description: 'Children and adults of concern' }, { name: 'plans', description: 'Multi-agency meetings about people and the actions agreed at them' }, { name: 'account', description: 'The token’s user' }],
    paths: {
      '/me': {
        get: {
          tags: ['account'],
          operationId: 'me',
          summary: 'Who the token acts as, with their role and permissions',
          responses: { '200': json(ref('Me'), 'The user'), ...errors },
        },
      },
      '/people': {
        get: {
          tags: ['people'],
          operationId: 'listPeople',
          summary: 'The register: people the user may see, filtered, sorted and in pages',
          description: 'Needs the person:search permission. Audited as a search, with the filter.',
          parameters: [
            { name: 'q', in: 'query', description: 'Name, alias or identifier (NHS number, council case number, police nominal)', schema: { type: 'string', maxLength: 100 } },
            { name: 'kind', in: 'query', schema: { type: 'string', enum: ['child', 'adult', 'all'], default: 'child' } },
            { name: 'rag', in: 'query', description: 'Risk levels; repeat for several. `none` is not yet rated.', style: 'form', explode: true, schema: { type: 'array', items: { type: 'string', enum: ['red', 'amber', 'green', 'none'] } } },
            { name: 'area', in: 'query', description: 'Lives in or comes from this area', schema: uuid },
            { name: 'agency', in: 'query', description: 'Agency holding the case', schema: uuid },
            { name: 'team', in: 'query', schema: uuid },
            { name: 'worker', in: 'query', description: 'Allocated worker (user id)', schema: uuid },
            { name: 'review', in: 'query', description: `due: in the next ${REVIEW_DUE_DAYS} days; overdue: before today`, schema: { type: 'string', enum: ['due', 'overdue', 'due_or_overdue'] } },
            { name: 'missing', in: 'query', description: `Reported missing in the last ${MISSING_RECENT_DAYS} days (any value)`, schema: { type: 'string' } },
            { name: 'outOfArea', in: 'query', description: 'Living somewhere other than their home authority (any value)', schema: { type: 'string' } },
            { name: 'missingNow', in: 'query', description: 'Reported missing and not yet found (any value)', schema: { type: 'string' } },
            { name: 'rhiOverdue', in: 'query', description: 'A return home interview neither held nor declined 72 hours after being found (any value)', schema: { type: 'string' } },
            { name: 'cawnExpiring', in: 'query', description: `A child abduction warning notice in force on the person (protecting the child, or served on the adult) expires within ${CAWN_EXPIRY_WARNING_DAYS} days (any value)`, schema: { type: 'string' } },
            { name: 'nrmAwaited', in: 'query', description: `An NRM referral made more than ${NRM_DECISION_WAIT_DAYS} days ago still awaits a decision (any value)`, schema: { type: 'string' } },
            { name: 'records', in: 'query', description: 'Open records only (the default), closed records only, or both', schema: { type: 'string', enum: ['open', 'closed', 'all'], default: 'open' } },
            { name: 'sort', in: 'query', schema: { type: 'string', enum: ['risk', 'review', 'name', 'assessed'], default: 'risk' } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', enum: [...PAGE_SIZES], default: 25 } },
          ],
          responses: { '200': json(ref('PeoplePage'), 'A page of people'), '400': { $ref: '#/components/responses/BadRequest' }, ...errors },
        },
      },
      '/people/{id}': {
        get: {
          tags: ['people'],
          operationId: 'getPerson',
          summary: 'One person, with aliases, identifiers, addresses and who the case is shared with',
          description: 'Needs person:view and a need to know. Audited as a view.',
          parameters: [idParam],
          responses: { '200': json(ref('Person'), 'The person'), ...personErrors },
        },
      },
      '/people/{id}/notes': {
        get: {
          tags: ['people'],
          operationId: 'listNotes',
          summary: `Case notes, newest first, ${NOTES_PAGE_SIZE} a page`,
          description: 'Notes marked police-only are returned to police users only.',
          parameters: [idParam, { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } }],
          responses: { '200': json(ref('NotesPage'), 'A page of notes'), ...personErrors },
        },
      },
      '/people/{id}/assessments': {
        get: {
          tags: ['people'],
          operationId: 'listAssessments',
          summary: 'Submitted risk assessments (final, or Red awaiting confirmation), newest first',
          parameters: [idParam],
          responses: { '200': json({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('Assessment') } } }, 'The assessments'), ...personErrors },
        },
      },
      '/people/{id}/missing-episodes': {
        get: {
          tags: ['people'],
          operationId: 'listMissingEpisodes',
          summary: 'Missing episodes, newest first, with the return-home interview',
          parameters: [idParam],
          responses: { '200': json({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('MissingEpisode') } } }, 'The episodes'), ...personErrors },
        },
      },
      '/people/{id}/meetings': {
        get: {
          tags: ['plans'],
          operationId: 'listPersonMeetings',
          summary: 'Strategy discussions, MACE meetings and conferences the person was discussed at, newest first, and the open actions agreed at them',
          description: 'Needs person:view on the person. Only meetings where the user may see every person discussed are listed, as on the person’s plan tab. Audited as a view.',
          parameters: [idParam],
          responses: {
            '200': json(
              { type: 'object', required: ['data', 'openActions'], properties: { data: { type: 'array', items: ref('MeetingSummary') }, openActions: { type: 'array', items: ref('PlanAction') } } },
              'The meetings and open actions',
            ),
            ...personErrors,
          },
        },
      },
      '/meetings/{id}': {
        get: {
          tags: ['plans'],
          operationId: 'getMeeting',
          summary: 'One meeting: attendees by agency, decisions, actions and corrections',
          description: 'Needs person:view on every person discussed (otherwise 404, as if it did not exist). Audited as a view of the meeting.',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'The meeting’s id', schema: uuid }],
          responses: { '200': json(ref('Meeting'), 'The meeting'), ...personErrors },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (lantern_pat_…), issued by an administrator' },
      },
      responses: {
        Unauthorised: json(ref('Error'), 'No token, or a token that is unknown, revoked, expired or for an inactive account'),
        Forbidden: json(ref('Error'), 'The user’s role does not allow this, or they have no need to know about this record'),
        NotFound: json(ref('Error'), 'No such record'),
        BadRequest: json(ref('BadRequest'), 'A parameter is not valid'),
      },
      schemas: {
        Error: { type: 'object', required: ['error', 'message'], properties: { error: str, message: str, reason: { type: 'string', enum: ['role', 'need-to-know'] } } },
        BadRequest: {
          type: 'object',
          required: ['error', 'message', 'issues'],
          properties: {
            error: { const: 'bad_request' },
            message: str,
            issues: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'array', items: str }, message: str, code: str } } },
          },
        },
        Me: {
          type: 'object',
          required: ['id', 'name', 'email', 'agency', 'role', 'permissions'],
          properties: { id: uuid, name: str, email: str, agency: named, team: nullable(named), role: str, permissions: { type: 'array', items: str } },
        },
        Risk: {
          type: 'object',
          required: ['level', 'assessedAt', 'reviewDue'],
          properties: { level: nullable(rag), assessedAt: nullable(dateTime), reviewDue: nullable(date), review: nullable({ type: 'string', enum: ['due', 'overdue'] }) },
        },
        PersonSummary: {
          type: 'object',
          required: ['id', 'kind', 'name', 'givenName', 'familyName', 'risk', 'ownerAgency', 'outOfArea'],
          properties: {
            id: uuid,
            kind: { type: 'string', enum: ['child', 'adult'] },
            name: str,
            givenName: str,
            familyName: str,
            preferredName: nullable(str),
            dateOfBirth: nullable(date),
            approximateAge: nullable({ type: 'integer' }),
            age: nullable({ type: 'integer' }),
            gender: str,
            risk: ref('Risk'),
            homeArea: nullable(named),
            currentArea: nullable(named),
            outOfArea: { type: 'boolean' },
            ownerAgency: named,
            team: nullable(named),
            allocatedWorker: nullable(named),
            flags: { type: 'object', properties: { lookedAfter: { type: 'boolean' }, careLeaver: { type: 'boolean' }, send: { type: 'boolean' } } },
            missingEpisodesLast30Days: { type: 'integer' },
            worklist: {
              type: 'object',
              description: 'The facts Home’s worklists are made of',
              properties: {
                reviewPromptedBySeriousEpisode: { type: 'boolean' },
                missingNow: { type: 'boolean' },
                returnHomeInterviewOverdue: { type: 'boolean' },
                redAwaitingConfirmation: { type: 'boolean' },
                cawnExpiringSoon: { type: 'boolean', description: `A notice in force expires within ${CAWN_EXPIRY_WARNING_DAYS} days` },
                nrmDecisionAwaited: { type: 'boolean', description: `An NRM referral made more than ${NRM_DECISION_WAIT_DAYS} days ago awaits a decision` },
              },
            },
            cawn: nullable({
              type: 'object',
              description: 'Child abduction warning notices in force on the person (protecting the child, or served on the adult)',
              required: ['inForceUntil'],
              properties: { inForceUntil: { ...date, description: 'The soonest expiry among the notices in force' } },
            }),
            nrm: nullable({
              type: 'object',
              description: 'The latest National Referral Mechanism referral that was not voided',
              required: ['referredOn', 'reasonableGrounds', 'conclusiveGrounds', 'stage'],
              properties: {
                referredOn: date,
                reasonableGrounds: nullable({ type: 'string', enum: ['positive', 'negative'] }),
                conclusiveGrounds: nullable({ type: 'string', enum: ['positive', 'negative'] }),
                stage: { type: 'string', description: 'Where the referral stands, in words' },
              },
            }),
            closedAt: nullable(dateTime),
            links: { type: 'object', additionalProperties: str },
          },
        },
        PeoplePage: {
          type: 'object',
          required: ['data', 'total', 'page', 'pageSize', 'counts', 'links'],
          properties: {
            data: { type: 'array', items: ref('PersonSummary') },
            total: { type: 'integer' },
            page: { type: 'integer' },
            pageSize: { type: 'integer' },
            counts: { type: 'object', properties: { red: { type: 'integer' }, amber: { type: 'integer' }, green: { type: 'integer' }, notRated: { type: 'integer' } } },
            links: { type: 'object', properties: { self: str, next: nullable(str), prev: nullable(str) } },
          },
        },
        Person: {
          allOf: [
            ref('PersonSummary'),
            {
              type: 'object',
              properties: {
                ethnicity: nullable(str),
                school: nullable(str),
                mergedInto: nullable(uuid),
                aliases: { type: 'array', items: { type: 'object', properties: { name: str, kind: str } } },
                identifiers: { type: 'array', items: { type: 'object', properties: { scheme: { type: 'string', enum: ['nhs_number', 'council_case', 'police_nominal', 'upn', 'other'] }, value: str, agency: nullable(str) } } },
                addresses: { type: 'array', items: { type: 'object', properties: { address: str, postcode: nullable(str), area: nullable(str), kind: str, from: nullable(date), to: nullable(date) } } },
                sharedWith: { type: 'array', items: { type: 'object', properties: { agency: str, user: str } } },
                version: { type: 'integer' },
              },
            },
          ],
        },
        Note: {
          type: 'object',
          required: ['id', 'kind', 'occurredOn', 'sensitivity', 'body', 'author', 'createdAt'],
          properties: {
            id: uuid,
            kind: { type: 'string', enum: ['visit', 'direct_work', 'contact', 'meeting', 'intelligence', 'other'] },
            occurredOn: date,
            sensitivity: { type: 'string', enum: ['standard', 'police_only'] },
            grade: {
              description: 'The 3x5x2 grade of an intelligence note; null for other notes and for intelligence recorded before grading',
              ...nullable({
                type: 'object',
                properties: { source: { type: 'string', enum: ['1', '2', '3'] }, assessment: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E'] }, handling: { type: 'string', enum: ['P', 'C'] }, conditions: nullable(str) },
              }),
            },
            body: str,
            author: { type: 'object', properties: { name: str, agency: str, team: nullable(str) } },
            createdAt: dateTime,
          },
        },
        NotesPage: {
          type: 'object',
          required: ['data', 'total', 'page', 'pageSize'],
          properties: { data: { type: 'array', items: ref('Note') }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
        },
        Assessment: {
          type: 'object',
          required: ['id', 'status', 'finalLevel', 'submittedAt'],
          properties: {
            id: uuid,
            kind: { type: 'string', enum: ['initial', 'review'] },
            status: { type: 'string', enum: ['final', 'awaiting_confirmation'] },
            toolVersion: { type: 'integer' },
            computedScore: nullable({ type: 'integer' }),
            computedLevel: nullable(rag),
            finalLevel: nullable(rag),
            overrideReason: nullable(str),
            reviewDue: nullable(date),
            submittedAt: nullable(dateTime),
            submittedBy: nullable(str),
            confirmedAt: nullable(dateTime),
            confirmedBy: nullable(str),
            confirmationOutcome: nullable({ type: 'string', enum: ['confirmed', 'changed'] }),
            links: { type: 'object', additionalProperties: str },
          },
        },
        MeetingSummary: {
          type: 'object',
          required: ['id', 'kind', 'kindText', 'heldOn', 'chair', 'otherPeopleDiscussed', 'openActions', 'links'],
          properties: {
            ...meetingHeading,
            otherPeopleDiscussed: { type: 'integer', description: 'How many other people were discussed at the meeting' },
            openActions: { type: 'integer' },
            links: { type: 'object', additionalProperties: str },
          },
        },
        PlanAction: {
          type: 'object',
          required: ['id', 'meetingId', 'description', 'dueOn', 'status', 'state'],
          properties: {
            id: uuid,
            meetingId: uuid,
            description: str,
            dueOn: date,
            status: { type: 'string', enum: ['open', 'done', 'cancelled'] },
            state: { type: 'string', enum: ['open', 'due', 'overdue', 'done', 'cancelled'], description: 'due: open and due soon; overdue: open past its due date' },
            cancelReason: nullable(str),
            closedAt: nullable(dateTime),
            owner: nullable({ type: 'string', description: 'The person or agency that owns the action' }),
            target: nullable({ type: 'string', description: 'The person or network record the action is about, where the user may see it' }),
          },
        },
        Meeting: {
          type: 'object',
          required: ['id', 'kind', 'kindText', 'heldOn', 'chair', 'peopleDiscussed', 'attendees', 'decisions', 'actions', 'corrections', 'version', 'links'],
          properties: {
            ...meetingHeading,
            chairAgency: nullable(str),
            recordedBy: { type: 'object', properties: { agency: nullable(str), user: nullable(str) } },
            peopleDiscussed: { type: 'array', items: { type: 'object', required: ['id', 'kind', 'name'], properties: { id: uuid, kind: { type: 'string', enum: ['child', 'adult'] }, name: str, links: { type: 'object', additionalProperties: str } } } },
            attendees: { type: 'array', items: { type: 'object', required: ['name', 'attended'], properties: { name: str, role: nullable(str), agency: nullable(str), attended: { type: 'boolean', description: 'false: sent apologies' } } } },
            decisions: str,
            actions: { type: 'array', items: ref('PlanAction') },
            corrections: {
              type: 'array',
              items: { type: 'object', required: ['reason', 'fields', 'changedAt'], properties: { reason: str, fields: { type: 'array', items: str }, changedAt: dateTime, changedBy: nullable(str) } },
            },
            version: { type: 'integer' },
            links: { type: 'object', additionalProperties: str },
          },
        },
        MissingEpisode: {
          type: 'object',
          required: ['id', 'reportedMissingAt', 'foundAt', 'foundOutOfArea', 'returnHomeInterview'],
          properties: {
            id: uuid,
            reportedMissingAt: dateTime,
            missingFrom: nullable(named),
            policeReference: nullable(str),
            foundAt: nullable(dateTime),
            foundArea: nullable(named),
            foundLocation: nullable(str),
            foundOutOfArea: { type: 'boolean' },
            foundBy: nullable({ type: 'string', enum: ['police', 'parent_or_carer', 'returned_themselves', 'professional', 'other'] }),
            concerns: { type: 'array', items: str },
            returnHomeInterview: {
              type: 'object',
              required: ['status'],
              properties: {
                status: { type: 'string', enum: ['still_missing', 'due', 'overdue', 'held', 'held_late', 'declined'] },
                dueAt: nullable(dateTime),
                offeredAt: nullable(dateTime),
                heldAt: nullable(dateTime),
                declined: { type: 'boolean' },
                agency: nullable(str),
              },
            },
            seriousReasons: { type: 'array', items: { type: 'string', enum: ['out_of_area', 'harm_or_exploitation', 'long', 'while_red'] }, description: 'Why the episode prompts a review of the risk (docs/risk.md)' },
            voided: nullable({
              type: 'object',
              description: 'Voided as recorded in error: kept, but counted nowhere',
              properties: { at: dateTime, by: nullable(str), reason: str },
            }),
          },
        },
      },
    },
  }
}
