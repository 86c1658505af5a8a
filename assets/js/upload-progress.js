// Shows how much of a large file has been sent, for forms marked data-upload-progress (the call
// data import: up to 500 MB, minutes on a slow link). Without this script the form posts as
// usual and the browser's own indicator is all there is.
//
// The form is sent by XMLHttpRequest, the one browser API that reports an upload's progress. It
// follows the server's redirect like a plain post, so its answer is the page the browser would
// have shown (the list with its success banner, or the form with its error summary): that page's
// main content and title replace this one's, so nothing is read twice and the flash is not lost.
import { initAll } from '/vendor/govuk/govuk-frontend.min.js'

const STEPS = 4

function progressPanel(form, fileName) {
  const panel = document.createElement('div')
  panel.className = 'lantern-upload-progress'
  panel.dataset.testid = 'upload-progress'
  const label = document.createElement('label')
  label.className = 'govuk-label govuk-label--s'
  label.htmlFor = 'upload-progress-bar'
  label.textContent = `Sending ${fileName}`
  const bar = document.createElement('progress')
  bar.id = 'upload-progress-bar'
  bar.className = 'lantern-upload-progress__bar'
  bar.max = 100
  bar.value = 0
  // Spoken at each quarter, not at every percent.
  const status = document.createElement('p')
  status.className = 'govuk-body'
  status.setAttribute('role', 'status')
  status.textContent = 'Starting the upload'
  panel.append(label, bar, status)
  form.append(panel)
  let spoken = -1
  return {
    sent(loaded, total) {
      const percent = total ? Math.floor((loaded / total) * 100) : 0
      bar.value = percent
      const step = Math.floor((percent / 100) * STEPS)
      if (step !== spoken) {
        spoken = step
        status.textContent = `${percent}% sent`
      }
    },
    importing() {
      bar.value = 100
      bar.removeAttribute('value')
      label.textContent = `${fileName} sent`
      status.textContent = 'Checking and importing the calls: a large file takes a few minutes. Keep this page open.'
    },
    remove() {
      panel.remove()
    },
  }
}

function showPage(html, url) {
  const next = new DOMParser().parseFromString(html, 'text/html')
  const main = next.getElementById('main-content')
  if (!main) return false
  document.title = next.title
  const current = document.getElementById('main-content')
  current.innerHTML = main.innerHTML
  if (url && url !== location.href) history.replaceState(null, '', url)
  initAll({ scope: current })
  const focus = current.querySelector('.govuk-error-summary, .govuk-notification-banner')
  if (focus) {
    focus.setAttribute('tabindex', '-1')
    focus.focus()
  } else {
    current.focus()
  }
  bind(current)
  return true
}

function bind(scope) {
  for (const form of scope.querySelectorAll('form[data-upload-progress]')) {
    form.addEventListener('submit', (event) => {
      const input = form.querySelector('input[type="file"]')
      const file = input?.files?.[0]
      // Nothing to watch: let the server say what is missing, the usual way.
      if (!file || !window.FormData || !window.XMLHttpRequest) return
      event.preventDefault()
      const button = form.querySelector('button[type="submit"], button:not([type])')
      if (button) button.disabled = true
      const panel = progressPanel(form, file.name)
      const request = new XMLHttpRequest()
      request.open('POST', form.action)
      request.upload.addEventListener('progress', (e) => panel.sent(e.loaded, e.lengthComputable ? e.total : file.size))
      request.upload.addEventListener('load', () => panel.importing())
      request.addEventListener('load', () => {
        if (!showPage(request.responseText, request.responseURL)) {
          // Not a page of Lantern's (a proxy's error, say): post the form the plain way.
          panel.remove()
          form.submit()
        }
      })
      request.addEventListener('error', () => {
        panel.remove()
        if (button) button.disabled = false
        const message = document.createElement('p')
        message.className = 'govuk-error-message'
        message.setAttribute('role', 'alert')
        message.textContent = 'The file could not be sent: check your connection and try again.'
        form.append(message)
      })
      request.send(new FormData(form))
    })
  }
}

bind(document)
