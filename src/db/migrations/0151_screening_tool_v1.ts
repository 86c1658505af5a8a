import { statements } from '../migration.ts'

/**
 * Ships version 1 of the screening tool, frozen here as it was shipped: a migration must write the
 * same rows on every installation, whatever later releases do to the risk module's code.
 * (src/modules/risk/default-tool.ts keeps the same definition for the module's own use; a unit
 * test checks the two agree.)
 */
export const SCREENING_TOOL_V1 = {
  "name": "Child exploitation screening tool",
  "statusPoints": {
    "recent": 1,
    "current": 2
  },
  "groups": [
    {
      "key": "missing",
      "title": "Missing and location",
      "description": "Where the child goes, and whether they go missing.",
      "indicators": [
        {
          "key": "missing_repeated",
          "text": "Repeated missing episodes (two or more)",
          "hint": "Include episodes reported by carers or schools that did not reach the police.",
          "weight": 3,
          "suggest": "missing_repeat"
        },
        {
          "key": "found_out_of_area",
          "text": "Found out of area, or in an area they have no known links to",
          "weight": 3,
          "suggest": "missing_out_of_area"
        },
        {
          "key": "unexplained_travel",
          "text": "Unexplained travel: train tickets, taxi receipts, hotel keys",
          "weight": 2
        },
        {
          "key": "unknown_addresses",
          "text": "Staying at unknown addresses, or coming home late at night",
          "weight": 2
        },
        {
          "key": "trap_house",
          "text": "Seen at or linked to an address used for dealing (a trap house or a cuckooed home)",
          "weight": 4
        }
      ]
    },
    {
      "key": "money",
      "title": "Money and possessions",
      "description": "Money, things and phones they cannot account for.",
      "indicators": [
        {
          "key": "unexplained_cash",
          "text": "Unexplained money or cash",
          "weight": 2
        },
        {
          "key": "new_possessions",
          "text": "New clothes, trainers, jewellery or gifts they cannot account for",
          "weight": 1
        },
        {
          "key": "multiple_phones",
          "text": "More than one phone, or a phone they will not explain",
          "weight": 2
        },
        {
          "key": "frequent_calls",
          "text": "Frequent calls or messages, or distress when their phone is away",
          "weight": 1
        },
        {
          "key": "debt_bondage",
          "text": "Owes money or a “debt” to others, or has been robbed of drugs or cash",
          "weight": 4
        }
      ]
    },
    {
      "key": "relationships",
      "title": "Relationships",
      "description": "Who they spend time with, and who they have lost touch with.",
      "indicators": [
        {
          "key": "older_associates",
          "text": "Older or controlling associates",
          "weight": 3
        },
        {
          "key": "known_nominals",
          "text": "Associates with people known to the police for drug supply or exploitation",
          "weight": 3
        },
        {
          "key": "gang_association",
          "text": "Gang association, or talk of a “line” or “going country”",
          "weight": 3
        },
        {
          "key": "isolation",
          "text": "Isolated from peers, family or their usual friends",
          "weight": 1
        },
        {
          "key": "sexual_exploitation",
          "text": "A relationship with an older person, or concerns of sexual exploitation",
          "weight": 4
        }
      ]
    },
    {
      "key": "health",
      "title": "Health and wellbeing",
      "description": "Physical and emotional health.",
      "indicators": [
        {
          "key": "unexplained_injuries",
          "text": "Unexplained injuries",
          "weight": 3
        },
        {
          "key": "substance_misuse",
          "text": "Substance misuse",
          "weight": 2
        },
        {
          "key": "self_harm",
          "text": "Self-harm or thoughts of suicide",
          "weight": 3
        },
        {
          "key": "sexual_health",
          "text": "Sexual health concerns",
          "weight": 3
        },
        {
          "key": "behaviour_change",
          "text": "Sudden change of behaviour, mood or appearance",
          "weight": 1
        }
      ]
    },
    {
      "key": "education",
      "title": "Education",
      "description": "School, college or alternative provision.",
      "indicators": [
        {
          "key": "exclusion",
          "text": "Excluded, or at risk of exclusion",
          "weight": 2
        },
        {
          "key": "attendance",
          "text": "Falling attendance, or missing from education",
          "weight": 2
        },
        {
          "key": "performance",
          "text": "A drop in performance or engagement",
          "weight": 1
        }
      ]
    },
    {
      "key": "offending",
      "title": "Offending",
      "description": "Arrests, and what they were found with.",
      "indicators": [
        {
          "key": "found_with_drugs",
          "text": "Found with drugs, cash or weapons",
          "weight": 4
        },
        {
          "key": "found_other_area_with_drugs",
          "text": "Found in another area with drugs or cash",
          "weight": 5
        },
        {
          "key": "arrested_other_area",
          "text": "Arrested in another area",
          "weight": 3
        },
        {
          "key": "carrying_knife",
          "text": "Carrying a knife or another weapon",
          "weight": 4
        },
        {
          "key": "running_drugs",
          "text": "Carrying or selling drugs for others",
          "weight": 5
        }
      ]
    }
  ],
  "bands": [
    {
      "level": "green",
      "min": 0,
      "max": 11
    },
    {
      "level": "amber",
      "min": 12,
      "max": 29
    },
    {
      "level": "red",
      "min": 30,
      "max": null
    }
  ],
  "rules": [
    {
      "id": "vulnerable_not_green",
      "kind": "vulnerability_floor",
      "description": "A child under 13 or with a learning disability cannot be rated Green when any indicator is current",
      "ageUnder": 13,
      "flags": [
        "learning_disability"
      ],
      "answers": [
        "current"
      ],
      "level": "amber"
    },
    {
      "id": "other_area_with_drugs",
      "kind": "indicator_floor",
      "description": "Being found in another area with drugs or cash is at least Amber",
      "indicators": [
        "found_other_area_with_drugs"
      ],
      "match": "any",
      "answers": [
        "recent",
        "current"
      ],
      "level": "amber"
    },
    {
      "id": "out_of_area_and_drugs",
      "kind": "indicator_floor",
      "description": "Being found out of area and found with drugs, cash or weapons in the last 3 months is at least Amber",
      "indicators": [
        "found_out_of_area",
        "found_with_drugs"
      ],
      "match": "all",
      "answers": [
        "current"
      ],
      "level": "amber"
    },
    {
      "id": "running_drugs_red",
      "kind": "indicator_floor",
      "description": "A child carrying or selling drugs for others now is being exploited: Red",
      "indicators": [
        "running_drugs"
      ],
      "match": "any",
      "answers": [
        "current"
      ],
      "level": "red"
    },
    {
      "id": "concerns_across_groups",
      "kind": "count_floor",
      "description": "Current concerns in three or more areas of a child’s life are at least Amber",
      "minCount": 3,
      "countBy": "groups",
      "answers": [
        "current"
      ],
      "level": "amber"
    }
  ],
  "reviewWeeks": {
    "red": 4,
    "amber": 8,
    "green": 12
  }
}

const json = JSON.stringify(SCREENING_TOOL_V1).replaceAll("'", "''")

export default statements(
  `insert into screening_tools (version, definition, change_note) values (1, '${json}'::jsonb, 'Version 1 as shipped with Lantern')`,
)
