import type { Permission } from '../access/permissions.ts'

/** An entry of the service navigation: each capability adds its own; the layout shows those a user may use. */
export interface NavItem {
  text: string
  href: string
  /** Shown to users holding any of these permissions (all signed-in users when omitted). */
  permission?: Permission | Permission[]
  /** Position in the navigation, lower first. */
  order: number
}
