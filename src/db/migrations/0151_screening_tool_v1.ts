import { statements } from '../migration.ts'
import { DEFAULT_TOOL_V1 } from '../../modules/risk/default-tool.ts'

const json = JSON.stringify(DEFAULT_TOOL_V1).replaceAll("'", "''")

/** Ships version 1 of the screening tool (see src/modules/risk/default-tool.ts, frozen). */
export default statements(
  `insert into screening_tools (version, definition, change_note) values (1, '${json}'::jsonb, 'Version 1 as shipped with Lantern')`,
)
