/**
 * The baseline for bench/register-load.ts: a bare Express 5 + Nunjucks app on the same machine,
 * rendering one GOV.UK-template page with a 25-row table from memory (no database, no session, no
 * security middleware). Started by the bench in its own process: `node --import tsx
 * bench/register-bare-app.ts <port>`.
 */
import express from 'express'
import nunjucks from 'nunjucks'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const app = express()
const env = nunjucks.configure([path.join(root, 'node_modules/govuk-frontend/dist')], { autoescape: true, express: app })
env.addGlobal('rows', Array.from({ length: 25 }, (_, i) => ({ name: `Person ${i + 1}`, age: 10 + (i % 8), area: ['Havant', 'Portsmouth', 'Southampton'][i % 3], level: ['Red', 'Amber', 'Green'][i % 3] })))
app.set('view engine', 'njk')
const page = `{% extends "govuk/template.njk" %}
{% block pageTitle %}Bare page{% endblock %}
{% block content %}
<h1 class="govuk-heading-l">A bare page</h1>
<table class="govuk-table"><caption class="govuk-table__caption">People</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th class="govuk-table__header">Name</th><th class="govuk-table__header">Age</th><th class="govuk-table__header">Area</th><th class="govuk-table__header">Risk</th></tr></thead>
<tbody class="govuk-table__body">{% for r in rows %}<tr class="govuk-table__row"><td class="govuk-table__cell">{{ r.name }}</td><td class="govuk-table__cell">{{ r.age }}</td><td class="govuk-table__cell">{{ r.area }}</td><td class="govuk-table__cell">{{ r.level }}</td></tr>{% endfor %}</tbody>
</table>
{% endblock %}`
const compiled = nunjucks.compile(page, env)
app.get('/', (_req, res) => {
  res.type('html').send(compiled.render({}))
})
const port = Number(process.argv[2] ?? 3999)
app.listen(port, '127.0.0.1', () => console.log('ready'))
