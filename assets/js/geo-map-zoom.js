// Pan and zoom for the geographic map, which the server draws whole as one SVG (the picture and
// its tables are the page without this script). Zooming changes the SVG's viewBox, so lines and
// labels stay sharp; buttons do it from the keyboard, the mouse wheel and dragging with a pointer.
const MAX_ZOOM = 16

for (const holder of document.querySelectorAll('[data-geo-zoom]')) {
  const svg = holder.querySelector('svg')
  if (!svg) continue
  const [x0, y0, width, height] = svg.getAttribute('viewBox').split(/\s+/).map(Number)
  let view = { x: x0, y: y0, w: width, h: height }

  const apply = () => {
    svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`)
    holder.dataset.zoom = (width / view.w).toFixed(2)
    status.textContent = view.w >= width ? 'Whole map shown' : `Zoomed in ${Math.round(width / view.w * 10) / 10} times`
  }
  /** Zooms by `factor` about a point in the map's own units, kept in the whole map. */
  const zoom = (factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(width, Math.max(width / MAX_ZOOM, view.w / factor))
    const h = (w * height) / width
    view = clamp({ x: cx - ((cx - view.x) * w) / view.w, y: cy - ((cy - view.y) * h) / view.h, w, h })
    apply()
  }
  const clamp = (v) => ({ ...v, x: Math.min(Math.max(v.x, x0), x0 + width - v.w), y: Math.min(Math.max(v.y, y0), y0 + height - v.h) })
  const toMap = (clientX, clientY) => {
    const box = svg.getBoundingClientRect()
    return [view.x + ((clientX - box.left) / box.width) * view.w, view.y + ((clientY - box.top) / box.height) * view.h]
  }

  const controls = document.createElement('div')
  controls.className = 'geo-map-zoom govuk-button-group'
  const button = (text, label, action) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-1'
    b.textContent = text
    b.setAttribute('aria-label', label)
    b.addEventListener('click', action)
    controls.append(b)
    return b
  }
  const step = width / 8
  button('+', 'Zoom in', () => zoom(1.5))
  button('−', 'Zoom out', () => zoom(1 / 1.5))
  button('←', 'Move the map left', () => { view = clamp({ ...view, x: view.x - step / (width / view.w) }); apply() })
  button('→', 'Move the map right', () => { view = clamp({ ...view, x: view.x + step / (width / view.w) }); apply() })
  button('↑', 'Move the map up', () => { view = clamp({ ...view, y: view.y - step / (width / view.w) }); apply() })
  button('↓', 'Move the map down', () => { view = clamp({ ...view, y: view.y + step / (width / view.w) }); apply() })
  button('Whole map', 'Show the whole map', () => { view = { x: x0, y: y0, w: width, h: height }; apply() })
  const status = document.createElement('p')
  status.className = 'govuk-body-s govuk-!-margin-bottom-1'
  status.setAttribute('role', 'status')
  holder.before(controls, status)

  svg.addEventListener('wheel', (e) => {
    e.preventDefault()
    zoom(e.deltaY < 0 ? 1.25 : 0.8, ...toMap(e.clientX, e.clientY))
  }, { passive: false })
  let drag = null
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, view }
    svg.setPointerCapture(e.pointerId)
  })
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return
    const box = svg.getBoundingClientRect()
    view = clamp({ ...drag.view, x: drag.view.x - ((e.clientX - drag.x) / box.width) * drag.view.w, y: drag.view.y - ((e.clientY - drag.y) / box.height) * drag.view.h })
    apply()
  })
  const end = () => { drag = null }
  svg.addEventListener('pointerup', end)
  svg.addEventListener('pointercancel', end)
  svg.style.touchAction = 'none'
  holder.classList.add('geo-map-figure__picture--zoomable')
  apply()
}
