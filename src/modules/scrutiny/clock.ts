/**
 * The scrutiny module's clock. Overdue, due-soon and reminders are worked out from "today"; tests
 * and demos pin it so a story seeded relative to one day reads the same on any later day.
 */
export const clock = {
  now: (): Date => new Date(),
}
