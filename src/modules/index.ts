import type { LanternModule } from './types.ts'
import { adminModule } from './admin/module.ts'
import { indicatorsModule } from './indicators/module.ts'
import { peopleModule } from './people/module.ts'
import { registerModule } from './register/module.ts'
import { scrutinyModule } from './scrutiny/module.ts'

/**
 * Every capability, in the order their navigation and demo data build on each other. Adding a
 * capability is one line here.
 */
export const modules: LanternModule[] = [peopleModule, registerModule, indicatorsModule, scrutinyModule, adminModule]
