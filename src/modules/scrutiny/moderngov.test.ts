import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { htmlToText, ModernGovFormatError, parseGetMeeting, parseModernGovDate } from './moderngov.ts'

const fixture = readFileSync('test/fixtures/moderngov/getmeeting-police-and-crime-panel.xml', 'utf8')

describe('reading a ModernGov GetMeeting document', () => {
  it('reads the meeting, its agenda items in order, restricted flags, minutes and linked documents', () => {
    const meeting = parseGetMeeting(fixture)
    expect(meeting).toMatchObject({
      externalId: '4711',
      committeeId: '312',
      committeeTitle: 'Hampshire and Isle of Wight Police and Crime Panel',
      date: '2026-11-20',
      time: '10:30',
      status: 'Meeting held',
      location: 'Ashburton Hall, Elizabeth II Court, Winchester',
      minutesPublished: true,
    })
    expect(meeting.items.map((i) => [i.number, i.title, i.restricted])).toEqual([
      ['1', 'Apologies for absence', false],
      ['5', 'County Lines', false],
      ['6', 'Recommendations tracker (standing item)', false],
      ['9', 'Exempt: complaint against the Police and Crime Commissioner', true],
    ])
    const countyLines = meeting.items[1]
    expect(countyLines.externalId).toBe('90102')
    expect(countyLines.documents).toEqual([
      { externalId: '55001', title: 'County Lines report of the Chief Executive, Office of the Police and Crime Commissioner', url: 'https://democracy.example.gov.uk/documents/s55001/County%20Lines.pdf', restricted: false },
      { externalId: '55002', title: 'Appendix: signs of county lines for communities', url: 'https://democracy.example.gov.uk/documents/s55002/Appendix.pdf', restricted: false },
    ])
    // Escaped HTML becomes paragraphs of text; an escaped ampersand inside it stays an ampersand.
    expect(countyLines.minutes).toBe(
      'The Chief Executive of the Office of the Police and Crime Commissioner introduced the report on how the police intervene and reduce harm from county lines.\n\nThe Panel & the Commissioner discussed the 13% rise in weapons offences.\nA strategy with key indicators was recommended.',
    )
    // CDATA minutes and a sub-number.
    expect(meeting.items[2].minutes).toBe('The Panel received the tracker of its resolutions and recommendations.')
    expect(meeting.items[0].documents).toEqual([])
    expect(meeting.items[3].documents[0].restricted).toBe(true)
  })

  it('finds the meeting inside a SOAP envelope, whatever the case of the element names', () => {
    const soap = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
      <GetMeetingResponse xmlns="http://moderngov.co.uk/namespaces"><GetMeetingResult>
      <Meeting><MeetingId>12</MeetingId><MeetingDate>5/3/2026 00:00:00</MeetingDate>
      <AgendaItems><AgendaItem><AgendaItemTitle>Minutes</AgendaItemTitle><AgendaItemNumber>2</AgendaItemNumber></AgendaItem></AgendaItems>
      </Meeting></GetMeetingResult></GetMeetingResponse></soap:Body></soap:Envelope>`
    const meeting = parseGetMeeting(soap)
    expect(meeting.externalId).toBe('12')
    expect(meeting.date).toBe('2026-03-05')
    expect(meeting.items).toEqual([{ externalId: null, number: '2', title: 'Minutes', restricted: false, minutes: '', documents: [] }])
  })

  it.each([
    ['', 'The file is empty'],
    ['<meeting><meetingid>1</meetingid><meetingdate>01/01/2026</meeting>', 'not well-formed XML'],
    ['<committees><committee><committeeid>1</committeeid></committee></committees>', 'not a ModernGov GetMeeting document'],
    ['<meeting><meetingid>7</meetingid></meeting>', 'Meeting 7 has no <meetingdate>'],
    ['<meeting><meetingid>7</meetingid><meetingdate>31/02/2026</meetingdate></meeting>', 'not a real date: “31/02/2026”'],
    ['<meeting><meetingid>7</meetingid><meetingdate>01/02/2026</meetingdate><meetingtime>soon</meetingtime></meeting>', 'not a time'],
    [
      '<meeting><meetingid>7</meetingid><meetingdate>01/02/2026</meetingdate><agendaitems><agendaitem><agendaitemnumber>1</agendaitemnumber></agendaitem></agendaitems></meeting>',
      'Agenda item 1 of meeting 7 has no <agendaitemtitle>',
    ],
    [
      '<meeting><meetingid>7</meetingid><meetingdate>01/02/2026</meetingdate><agendaitems><agendaitem><agendaitemtitle>A</agendaitemtitle><linkeddocuments><linkeddoc><title>R</title><url>javascript:alert(1)</url></linkeddoc></linkeddocuments></agendaitem></agendaitems></meeting>',
      'not a web address',
    ],
    ['<!DOCTYPE x [<!ENTITY a "aaaa">]><meeting><meetingid>&a;</meetingid></meeting>', 'declares a document type'],
  ])('refuses %j with a message that says what is wrong', (xml, message) => {
    expect(() => parseGetMeeting(xml)).toThrow(ModernGovFormatError)
    expect(() => parseGetMeeting(xml)).toThrow(message)
  })

  it('names the line and column of malformed XML', () => {
    expect(() => parseGetMeeting('<meeting>\n<meetingid>1</meetingid>\n<meetingdate>1/1/2026</meetingdat>\n</meeting>')).toThrow(/line 3/)
  })

  it('reads dates as ModernGov writes them', () => {
    expect(parseModernGovDate('09/10/2020')).toBe('2020-10-09')
    expect(parseModernGovDate('9/10/2020 10:00:00')).toBe('2020-10-09')
    expect(parseModernGovDate('2020-10-09T00:00:00')).toBe('2020-10-09')
    expect(parseModernGovDate('10/13/2020')).toBeNull()
  })

  it('keeps no markup from minutes', () => {
    expect(htmlToText('<p onclick="x()">A <script>alert(1)</script><b>bold</b></p><ul><li>one</li><li>two</li></ul>')).toBe('A bold\n\none\n\ntwo')
  })

  it('refuses a control character, which XML does not allow, naming its line', () => {
    expect(() => parseGetMeeting('<meeting>\n<meetingid>1</meetingid>\n<title>Budget\u0000</title>\n</meeting>')).toThrow(/not well-formed XML: line 3, column 14 holds a NUL byte/)
  })
})
