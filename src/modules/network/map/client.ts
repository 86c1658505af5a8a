import Sigma from 'sigma'
import { createEdgeCurveProgram, default as EdgeCurveProgram } from '@sigma/edge-curve'
import { createNodeBorderProgram } from '@sigma/node-border'
import { NodeSquareProgram } from '@sigma/node-square'
import { downloadAsPNG } from '@sigma/export-image'
import { mapGraph } from './graph.ts'
import type { MapData } from './map-data.ts'

/**
 * Draws the explorer's map in the browser (bundled by ../bundle.ts). Nodes can be dragged; the
 * "Save layout" form sends their places back; "Download as PNG" saves the picture. False when there
 * is nothing to draw.
 */
/** Curved links with arrowheads large enough to see which way a link runs at a glance. */
const EdgeArrowProgram = createEdgeCurveProgram({ arrowHead: { extremity: 'target', lengthToThicknessRatio: 5, widenessToThicknessRatio: 4 } })

export async function drawMap(container: HTMLElement): Promise<boolean> {
  const canvas = container.querySelector<HTMLElement>('[data-map-canvas]')!
  const response = await fetch(container.dataset.src!, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`the map’s data could not be loaded (${response.status})`)
  const data = (await response.json()) as MapData
  if (!data.nodes.length) return false
  const graph = mapGraph(data)
  const renderer = new Sigma(graph, canvas, {
    renderEdgeLabels: true,
    defaultEdgeType: 'arrow',
    nodeProgramClasses: {
      square: NodeSquareProgram,
      ringed: createNodeBorderProgram({ borders: [{ size: { value: 0.3 }, color: { attribute: 'ring' } }, { size: { fill: true }, color: { attribute: 'color' } }] }),
    },
    edgeProgramClasses: { arrow: EdgeArrowProgram, line: EdgeCurveProgram },
    // Every label drawn whatever a node's size, large enough to read, with room kept around each.
    labelRenderedSizeThreshold: 0,
    labelDensity: 3,
    labelSize: 14,
    labelWeight: '600',
    labelFont: 'arial, sans-serif',
    edgeLabelSize: 12,
    edgeLabelFont: 'arial, sans-serif',
    edgeLabelColor: { color: '#0b0c0c' },
    zIndex: true,
  })

  let dragged: string | null = null
  let moved = false
  renderer.on('downNode', ({ node }) => {
    dragged = node
    moved = false
  })
  renderer.getMouseCaptor().on('mousemovebody', (event) => {
    if (!dragged) return
    const point = renderer.viewportToGraph(event)
    graph.mergeNodeAttributes(dragged, { x: point.x, y: point.y })
    moved = true
    event.preventSigmaDefault()
    event.original.preventDefault()
    event.original.stopPropagation()
  })
  renderer.getMouseCaptor().on('mouseup', () => {
    if (dragged && moved) container.querySelector<HTMLElement>('[data-map-save]')?.removeAttribute('hidden')
    dragged = null
  })
  renderer.on('clickNode', ({ node }) => {
    if (moved) return
    const href = graph.getNodeAttribute(node, 'href') as string | undefined
    if (href) window.location.assign(href)
  })

  const filter = container.querySelector<HTMLInputElement>('[data-map-filter]')
  filter?.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase()
    renderer.setSetting('nodeReducer', (_node, attrs) => (q && !String(attrs.label).toLowerCase().includes(q) ? { ...attrs, color: '#dddddd', label: '' } : attrs))
    renderer.refresh()
  })

  const save = container.querySelector<HTMLFormElement>('[data-map-save]')
  save?.addEventListener('submit', () => {
    const positions = Object.fromEntries(graph.mapNodes((node, attrs) => [node, { x: attrs.x as number, y: attrs.y as number }]))
    save.querySelector<HTMLInputElement>('[name="positions"]')!.value = JSON.stringify(positions)
  })
  if (data.savedLayout) save?.removeAttribute('hidden')

  const png = container.querySelector<HTMLButtonElement>('[data-map-png]')
  if (png) {
    png.hidden = false
    png.addEventListener('click', () => void downloadAsPNG(renderer, { fileName: 'lantern-network', backgroundColor: '#ffffff' }))
  }
  return true
}
