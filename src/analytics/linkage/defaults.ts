import type { BlockingRuleInput, ComparisonInput, SettingsInput } from './settings.ts'

/**
 * Settings chosen from column names alone, for people records as agencies hold them. Columns with
 * unrecognised names are not compared (they may be free text); `describeDefaults` says which.
 */
type Role = 'given' | 'middle' | 'surname' | 'dob' | 'postcode' | 'address' | 'place' | 'number' | 'region' | 'sex' | 'identifier' | 'email'

const ROLES: Record<Role, readonly string[]> = {
  given: ['givenname', 'firstname', 'forename', 'forenames', 'fname', 'first'],
  middle: ['middlename', 'middlenames', 'othernames'],
  surname: ['surname', 'lastname', 'familyname', 'lname', 'last'],
  dob: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'dateborn'],
  postcode: ['postcode', 'postalcode', 'zip', 'zipcode', 'postcodes'],
  address: ['address', 'address1', 'address2', 'addressline1', 'addressline2', 'street', 'streetname', 'streetaddress', 'addressline'],
  place: ['suburb', 'town', 'city', 'locality', 'village', 'posttown'],
  number: ['streetnumber', 'housenumber', 'buildingnumber', 'houseno', 'number'],
  region: ['state', 'county', 'region', 'country'],
  sex: ['sex', 'gender'],
  identifier: [
    'socsecid', 'ssn', 'socialsecuritynumber', 'nhsnumber', 'nhsno', 'nhs', 'ninumber', 'nino', 'nationalinsurancenumber',
    'pnc', 'pncid', 'pncnumber', 'policenominal', 'upn', 'uln', 'passportnumber', 'drivinglicence', 'phone', 'telephone', 'mobile',
  ],
  email: ['email', 'emailaddress'],
}

function roleOf(column: string): Role | null {
  const key = column.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const [role, names] of Object.entries(ROLES) as [Role, readonly string[]][]) if (names.includes(key)) return role
  return null
}

export interface DefaultSettings extends Required<Pick<SettingsInput, 'comparisons' | 'blockingRules' | 'trainingRules'>> {
  /** Columns left out because their names were not recognised. */
  readonly ignored: string[]
}

export function defaultSettings(columns: readonly string[], idColumn?: string): DefaultSettings {
  const byRole = new Map<Role, string[]>()
  const ignored: string[] = []
  for (const column of columns) {
    if (column === idColumn) continue
    const role = roleOf(column)
    if (role === null) ignored.push(column)
    else byRole.set(role, [...(byRole.get(role) ?? []), column])
  }
  const first = (role: Role) => byRole.get(role)?.[0]
  const all = (role: Role) => byRole.get(role) ?? []
  const given = first('given')
  const surname = first('surname')
  const dob = first('dob')
  const postcode = first('postcode')
  const number = first('number')
  const address = first('address')
  const place = first('place')

  const comparisons: ComparisonInput[] = []
  if (given) comparisons.push({ column: given, comparison: 'name', ...(surname ? { otherColumn: surname } : {}) })
  for (const c of all('middle')) comparisons.push({ column: c, comparison: 'name' })
  if (surname) comparisons.push({ column: surname, comparison: 'name', ...(given ? { otherColumn: given } : {}) })
  if (dob) comparisons.push({ column: dob, comparison: 'date' })
  for (const c of all('identifier')) comparisons.push({ column: c, comparison: 'identifier' })
  for (const c of all('number')) comparisons.push({ column: c, comparison: 'exact', termFrequency: true })
  for (const c of all('address')) comparisons.push({ column: c, comparison: 'string' })
  for (const c of all('place')) comparisons.push({ column: c, comparison: 'string', termFrequency: true })
  if (postcode) comparisons.push({ column: postcode, comparison: 'postcode' })
  for (const c of all('region')) comparisons.push({ column: c, comparison: 'exact' })
  for (const c of all('sex')) comparisons.push({ column: c, comparison: 'exact' })
  for (const c of all('email')) comparisons.push({ column: c, comparison: 'string' })

  // Each rule is narrow enough for a million records; together they catch a pair unless it is
  // corrupted in nearly every field.
  const blockingRules: BlockingRuleInput[] = []
  const trainingRules: BlockingRuleInput[] = []
  if (dob) {
    blockingRules.push([dob])
    trainingRules.push([dob])
  }
  for (const c of all('identifier')) blockingRules.push([c])
  if (given && surname) {
    blockingRules.push([{ columns: [given, surname], transform: 'sorted' }])
    trainingRules.push([given, surname])
  } else if (surname ?? given) {
    blockingRules.push([(surname ?? given)!, ...(postcode ? [postcode] : [])])
  }
  if (postcode && number) blockingRules.push([postcode, number])
  else if (postcode && address) blockingRules.push([postcode, address])
  if (address && place) blockingRules.push([address, place])
  if (given && surname && dob) {
    blockingRules.push([{ column: given, transform: 'metaphone' }, { column: surname, transform: 'metaphone' }, { column: dob, transform: 'year' }])
  }
  if (surname && postcode) blockingRules.push([{ column: surname, transform: 'metaphone' }, postcode])
  if (surname && number && address) blockingRules.push([{ column: surname, transform: 'metaphone' }, number, { column: address, transform: 'prefix', length: 2 }])
  if (given && dob && postcode) blockingRules.push([{ column: given, transform: 'metaphone' }, { column: dob, transform: 'year' }, postcode])
  if (postcode) trainingRules.push([postcode])
  const identifier = first('identifier')
  if (identifier) trainingRules.push([identifier])
  return { comparisons, blockingRules, trainingRules, ignored }
}
