import type { LanternModule } from './types.ts'
import { adminModule } from './admin/module.ts'
import { apiModule } from './api/module.ts'
import { indicatorsModule } from './indicators/module.ts'
import { peopleModule } from './people/module.ts'
import { riskModule } from './risk/module.ts'
import { missingModule } from './missing/module.ts'
import { linkageModule } from './linkage/module.ts'
import { referralsModule } from './referrals/module.ts'
import { networkModule } from './network/module.ts'
import { operationsModule } from './operations/module.ts'
import { registerModule } from './register/module.ts'
import { publicModule } from './public/module.ts'
import { scrutinyModule } from './scrutiny/module.ts'
import { sharingModule } from './sharing/module.ts'
import { notificationsModule } from './notifications/module.ts'
import { plansModule } from './plans/module.ts'
import { callsModule } from './calls/module.ts'
import { geoModule } from './geo/module.ts'

/**
 * Every capability, in the order their navigation and demo data build on each other. Adding a
 * capability is one line here.
 */
export const modules: LanternModule[] = [peopleModule, riskModule, missingModule, referralsModule, linkageModule, networkModule, geoModule, operationsModule, callsModule, registerModule, plansModule, sharingModule, publicModule, scrutinyModule, indicatorsModule, adminModule, apiModule, notificationsModule]
