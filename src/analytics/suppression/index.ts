export { feasibleRanges, possibleValues, lpSolver, type Fact, type Publication, type Range } from './feasible.ts'
export { protect, SMALL_COUNT, LEAST_POSSIBLE_VALUES, type Protection, type Proposer } from './protect.ts'
