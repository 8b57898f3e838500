// The console works without this script; with it: GOV.UK Frontend's components, copy buttons,
// and live parts (the triage queue, a bulletin's delivery) that refresh themselves when the server
// says something changed.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

for (const button of document.querySelectorAll('[data-copy-target]')) {
  const target = document.getElementById(button.dataset.copyTarget)
  const status = document.getElementById(button.dataset.copyStatus)
  button.hidden = false
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.textContent)
      status.textContent = 'Copied. Paste it into the form.'
    } catch (e) {
      const range = document.createRange()
      range.selectNodeContents(target)
      window.getSelection().removeAllRanges()
      window.getSelection().addRange(range)
      status.textContent = 'Selected. Press Control and C to copy it.'
    }
  })
}

// The event says only "something changed": the page fetches itself again and swaps the queue in.
// Never while the keyboard focus is inside the queue, so that nobody loses their place.
const live = document.querySelector('[data-live-events]')
if (live && 'EventSource' in window) {
  const status = document.getElementById(live.dataset.liveStatus)
  let running = false
  let again = false
  const refresh = async () => {
    if (running || live.contains(document.activeElement)) {
      again = true
      return
    }
    running = true
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin' })
      if (response.redirected) {
        window.location.assign(response.url)
        return
      }
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), 'text/html')
        const fresh = page.getElementById(live.id)
        if (fresh) {
          live.innerHTML = fresh.innerHTML
          live.dataset.version = String(Number(live.dataset.version || '0') + 1)
          status.textContent = (live.dataset.liveLabel || 'The queue') + ' was updated at ' + new Date().toLocaleTimeString('en-GB') + '.'
        }
      }
    } finally {
      running = false
      if (again) {
        again = false
        setTimeout(refresh, 0)
      }
    }
  }
  live.addEventListener('focusout', () => {
    if (again) {
      setTimeout(refresh, 0)
    }
  })
  const source = new EventSource(live.dataset.liveEvents)
  source.addEventListener('changed', refresh)
  // the session has ended: loading the page again leads to sign-in, and back here after it
  source.addEventListener('ended', () => {
    source.close()
    window.location.reload()
  })
  source.addEventListener('open', () => { document.body.dataset.liveConnected = 'true' })
}
