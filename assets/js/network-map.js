// Draws the network explorer's map with sigma.js. An enhancement only: the tables on the page hold
// everything the map shows, and the page works without this script.
const container = document.querySelector('[data-map]')
if (container) {
  draw(container).catch(() => {
    container.hidden = true
  })
}

async function draw(container) {
  const canvas = container.querySelector('[data-map-canvas]')
  const [{ Sigma, Graph }, response] = await Promise.all([import('/network/sigma-bundle.js'), fetch(container.dataset.src, { headers: { accept: 'application/json' } })])
  if (!response.ok) throw new Error('map data unavailable')
  const data = await response.json()
  if (!data.nodes.length) return
  container.hidden = false
  const graph = new Graph({ multi: false, type: 'undirected' })
  graph.import({ nodes: data.nodes, edges: data.edges })
  const renderer = new Sigma(graph, canvas, { renderEdgeLabels: false, labelRenderedSizeThreshold: 6 })
  renderer.on('clickNode', ({ node }) => {
    const href = graph.getNodeAttribute(node, 'href')
    if (href) window.location.assign(href)
  })
  const filter = container.querySelector('[data-map-filter]')
  filter?.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase()
    renderer.setSetting('nodeReducer', (node, attrs) => (q && !attrs.label.toLowerCase().includes(q) ? { ...attrs, color: '#dddddd', label: '' } : attrs))
    renderer.refresh()
  })
}
