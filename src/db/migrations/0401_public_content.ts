import { statements } from '../migration.ts'

/**
 * The default public information pages, as version 1 of each. A partnership officer edits them in
 * Lantern (Public pages); every edit is a new version and these stay in the history.
 *
 * Markdown: `##` and `###` headings, paragraphs, lists, links, `>` for inset text and a line
 * starting `!! ` for a GOV.UK warning.
 */
interface DefaultPage {
  path: string
  section: 'signs' | 'help'
  order: number
  title: string
  summary: string
  body: string
}

const PAGES: DefaultPage[] = [
  {
    path: '/signs',
    section: 'signs',
    order: 0,
    title: 'The signs of county lines and exploitation',
    summary: 'What county lines and exploitation are, who is at risk, and the signs to look out for.',
    body: `!! If a child or anyone else is in immediate danger, call 999.

## What county lines are

“County lines” is the name for drug dealing in which gangs from cities sell heroin and crack cocaine in towns and villages across the country through a dedicated mobile phone line: the “deal line”. The gangs use children and vulnerable adults to carry drugs and money and to sell them, and they take over the homes of vulnerable people to work from.

It is a form of exploitation. The children and adults drawn in are victims first, even when they seem to be choosing it. They are kept in line with debt, threats, violence, weapons and sexual abuse.

## Who is at risk

Any child can be exploited, whatever their background. Gangs look for children and young people who are:

- going missing from home or care, or not going to school
- short of money, or in debt to someone
- lonely, or looking for a sense of belonging
- already using drugs or alcohol
- in care, or have a learning disability

Adults are at risk too, especially people who use drugs, have mental health problems or a learning disability, are lonely, or are older and living alone.

## Signs in a child or young person

No single sign proves that a child is being exploited. Look for a change, and for signs that come together:

- going missing, sometimes for days, and being found far from home
- unexplained money, new clothes, trainers or phones, or more than one phone
- constant calls and messages, and being anxious when the phone goes
- older friends or a new boyfriend or girlfriend who seems to control them
- train tickets, hotel key cards or taxi receipts they cannot explain
- unexplained injuries, or carrying a weapon
- dropping out of school, clubs and old friendships
- seeming frightened, secretive or withdrawn

## Signs at a home or in a neighbourhood

- lots of different people calling at a house or flat, often for a few minutes, at all hours
- cars stopping briefly outside, with someone getting in and out
- young people who are not from the area staying at the address
- a neighbour who seems no longer in control of their own home (“cuckooing”): new people living there, the curtains always closed, the neighbour seldom seen or seeming frightened
- drug litter such as needles, small bags or burnt foil

## What to do

You do not need to be sure. If something worries you, [report a concern](/report). You can stay anonymous. Tell us what you saw and heard: we put it together with what other people and agencies already know.

You can also call the police on 101, or tell Crimestoppers anonymously on 0800 555 111. If you are under 18, you can tell Fearless, the youth service of Crimestoppers, anonymously at fearless.org.

## Signs for people in different roles`,
  },
  {
    path: '/signs/parents-and-carers',
    section: 'signs',
    order: 10,
    title: 'For parents and carers',
    summary: 'Changes in your child to look out for, how to talk to them, and where to get help.',
    body: `!! If your child is in immediate danger, or missing and you think they are at risk, call 999.

## Changes to look out for

You know your child best. Changes that can be signs that someone is exploiting them:

- they go missing, stay out late or overnight and will not say where they have been
- they have money, clothes, jewellery or phones you did not give them and they cannot explain
- they have a second phone, or their phone never stops and they have to answer it
- they have new, older friends, or a boyfriend or girlfriend much older than them
- you find train tickets, hotel key cards or taxi receipts for places they have no reason to go
- they are hurt and will not say how, or you find a knife or other weapon
- they stop going to school or to clubs, and drop old friends
- they seem frightened, angry or withdrawn, or their mood changes quickly
- you find drugs, small bags, scales or a lot of cash

## Talking to your child

Stay calm and keep talking. Children who are exploited are often made to feel they are to blame or that they owe a debt. Tell them you are on their side whatever has happened, and that the people using them are the ones doing wrong.

## If your child goes missing

Report them missing to the police on 101, or 999 if you think they are in danger. When they come home, the council will offer them a return home interview with someone independent, which can help them talk about where they have been.

## Getting help

- [Report a concern](/report) to the partnership. You can stay anonymous.
- Call the council’s children’s services, or the NSPCC helpline on 0808 800 5000.
- Your child can call Childline on 0800 1111, free and in confidence.`,
  },
  {
    path: '/signs/neighbours',
    section: 'signs',
    order: 20,
    title: 'For neighbours',
    summary: 'What you might see near your home, and how to tell ordinary visitors and deliveries from drug dealing.',
    body: `!! If someone is in immediate danger, or you see violence or weapons, call 999.

Neighbours often see the signs first. You do not need to be sure, or to have proof, to tell us.

## What you might see

- many different people calling at a house or flat, staying only a few minutes, at all hours of the day and night
- cars, taxis or bikes stopping briefly, with someone handing something through a window or getting in and out
- young people who are not from the area staying at the address, sometimes for days
- a neighbour who seems no longer in control of their own home: new people living there, the neighbour seldom seen, or seeming frightened or unwell (this is called “cuckooing”)
- curtains always closed, doors and windows covered, or a lot of noise at night
- needles, small bags, burnt foil or other drug litter nearby

## Is it a delivery, a visitor or drug dealing?

Neighbours often ask this: lots of people call at a home for good reasons. Parcels, food deliveries, carers, friends and family visiting, and gifts around birthdays and festivals are all ordinary. No single visit is a sign of anything. What matters is the pattern over days and weeks.

Ordinary visits and deliveries usually:

- come at the times couriers and visitors normally call, most of them in the day or early evening
- come in marked vans or with a visible parcel, a uniform, a handheld scanner or a delivery bag
- are one drop, or friends and family you see more than once, who go inside and stay a while
- cluster around occasions such as a birthday, a new baby or a festival, and then stop

Visits linked to drug dealing more often:

- are short, a minute or two, often at the door, on the doorstep or at a car window, without going inside
- come from many different people, day after day, including late at night and early in the morning
- involve people arriving on foot, by bike or by taxi who look around, then leave quickly
- carry nothing in, or a small item passed hand to hand
- go on for weeks, with young people or strangers answering the door instead of the person who lives there

If you have noticed a pattern like this, [tell us](/report). Write down what you saw, on which days and at what times, how many people, and any vehicles and registration numbers. You do not need to watch or follow anyone: never put yourself at risk.

## What happens next

We put what you tell us together with what other people and agencies already know. One report may be the piece that completes a picture. [Find out what happens after you report](/after-you-report).`,
  },
  {
    path: '/signs/school-staff',
    section: 'signs',
    order: 30,
    title: 'For school and college staff',
    summary: 'Signs of exploitation in pupils and what to do through your designated safeguarding lead.',
    body: `!! If a pupil is in immediate danger, call 999 and then tell your designated safeguarding lead.

## Signs in pupils

- falling attendance, lateness, or going missing during the school day
- sudden changes in behaviour, friendships or appearance
- unexplained money, clothes, trainers or phones, or more than one phone
- being collected by older young people or adults you do not know, or in cars
- tiredness, hunger or signs of drug or alcohol use
- unexplained injuries, or carrying a weapon
- being excluded, or moving to alternative provision, which gangs are known to target
- younger pupils being recruited at the school gate or online

## What to do

Follow your school’s safeguarding policy and tell your designated safeguarding lead the same day. Write down what you saw and heard, in the pupil’s words where you can.

Designated safeguarding leads should refer to children’s services and may share information with the police. You can also [report a concern](/report) about a place or people near the school, such as adults waiting at the gates.

## Keeping Children Safe in Education

The statutory guidance Keeping Children Safe in Education describes child criminal exploitation and county lines, and what schools must do.`,
  },
  {
    path: '/signs/taxi-drivers-and-hotel-staff',
    section: 'signs',
    order: 40,
    title: 'For taxi drivers and hotel staff',
    summary: 'What drivers, hotel and short-let staff might notice, and how to report it safely.',
    body: `!! If a child is in immediate danger, call 999. Do not challenge anyone yourself.

County lines depend on moving children and drugs between towns, and on places to stay. Taxi drivers, private hire operators, hotel, bed and breakfast and short-let staff are often the only adults who see it.

## Signs for taxi and private hire drivers

- children or young people travelling alone, long distances or late at night, often paying in cash
- the same young person making regular trips between the same towns
- a young person who seems frightened, confused, tired or told what to say
- an adult booking or paying for a child’s journey and not travelling with them
- passengers making short stops, or asking you to wait while they go into an address

## Signs for hotel, bed and breakfast and short-let staff

- young people who are not local checking in, or being booked in by an adult who leaves
- rooms or flats paid for in cash, booked for one night again and again
- many visitors to a room, staying only minutes
- a “do not disturb” sign all the time, refusing cleaning
- a lot of phones, cash, small bags or scales seen in a room

## What to do

Write down the date, time, place, descriptions and any registration numbers, and [report a concern](/report). You can stay anonymous. Your licensing authority and employer may also have their own safeguarding procedures: follow them too.`,
  },
  {
    path: '/signs/landlords',
    section: 'signs',
    order: 50,
    title: 'For landlords and housing officers',
    summary: 'Signs that a tenant’s home has been taken over (“cuckooing”) and what to do.',
    body: `!! If a tenant or anyone else is in immediate danger, call 999.

Gangs take over the homes of vulnerable people, often people who use drugs, are lonely, are older or have a learning disability, and use them to store and sell drugs. This is called “cuckooing”. The tenant is a victim and may be too frightened to ask for help.

## Signs a home has been taken over

- new people living at the property, or the tenant seldom seen or no longer answering the door
- many visitors, staying only minutes, at all hours
- complaints from neighbours about noise, visitors or anti-social behaviour
- the tenant seeming frightened, unwell or neglected, or asking for help with rent they cannot explain
- damage, changed locks or covered windows
- drug litter in communal areas

## What to do

Do not confront the people at the property. [Report a concern](/report), call the police on 101, or call 999 in an emergency. Housing providers should also follow their safeguarding procedures and tell the council’s adult or children’s services. Closure orders and other powers can protect the tenant and the neighbours; the partnership will look at these.`,
  },
  {
    path: '/after-you-report',
    section: 'help',
    order: 60,
    title: 'What happens after you report a concern',
    summary: 'Who reads your report, what they do with it, and why you may not hear back.',
    body: `## Who reads your report

Your report goes to the community safety partnership’s triage officers: staff of the council and the police who work together on exploitation. They read every report, usually within 2 working days.

## What they do with it

They decide how urgent it is and compare it with what other people and agencies already know. They may:

- pass the information to police intelligence, so that it can help an investigation
- make a safeguarding referral, so that a child or vulnerable adult gets help
- link it to other reports about the same place or people
- decide that no further action is needed for now, and record why

A single report may not lead to anything you can see, but it can be the piece that completes a picture. Police and councils cannot usually tell you what they did, to protect the people involved and any investigation.

## If you stayed anonymous

We will not know who you are, so we cannot contact you. If you want to add something, [make another report](/report) and include your reference number.

## If you left contact details

A triage officer may contact you if they need to know more. We use your details only for your report. [Read the privacy notice](/privacy).

## If something happens again

Report it again. Each report helps show a pattern. If anyone is in immediate danger, call 999.`,
  },
  {
    path: '/when-to-call-999',
    section: 'help',
    order: 70,
    title: 'When to call 999 instead',
    summary: 'Call 999 when someone is in immediate danger or a crime is happening now.',
    body: `!! Call 999 if someone is in immediate danger or a crime is happening now.

## Call 999 when

- a child or adult is in immediate danger, or being hurt or threatened
- you see a weapon, or violence
- a child you know is missing and you think they are at risk
- a crime is happening now, such as drugs being sold or someone being forced into a car

If you cannot speak, call 999, listen to the questions and answer by coughing or tapping the handset. If you are calling from a mobile, press 55 when asked, and the police will know it is an emergency. If you are deaf or cannot speak on the phone, you can register with emergencySMS to text 999.

## Call 101 or report online when

It is not an emergency, but you are worried. For example, you have noticed a pattern of visitors at an address over several weeks. [Report a concern online](/report), call the police on 101, or tell Crimestoppers anonymously on 0800 555 111.

## If you are a child or young person

If you are in danger, call 999. You can talk to Childline on 0800 1111 at any time, and tell Fearless anonymously at fearless.org.`,
  },
]

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`

export default statements(
  ...PAGES.flatMap((p) => [
    `insert into public_pages (path, section, sort_order, current_version) values (${quote(p.path)}, ${quote(p.section)}, ${p.order}, 1)`,
    `insert into public_page_versions (page_id, version, title, summary, body, change_note)
       select id, 1, ${quote(p.title)}, ${quote(p.summary)}, ${quote(p.body)}, 'Default content shipped with Lantern'
       from public_pages where path = ${quote(p.path)}`,
  ]),
)
