import Sigma from 'sigma'
import type { EdgeLabelDrawingFunction, NodeLabelDrawingFunction } from 'sigma/rendering'
import { createEdgeCurveProgram } from '@sigma/edge-curve'
import { createNodeBorderProgram } from '@sigma/node-border'
import { NodeSquareProgram } from '@sigma/node-square'
import { downloadAsPNG } from '@sigma/export-image'
import { mapGraph } from './graph.ts'
import type { MapData } from './map-data.ts'
import { MAP_ICONS } from './icons.ts'
import { LABEL_PLACES, LabelRoom, labelAlongLink } from './label-room.ts'

/**
 * Draws the explorer's map in the browser (bundled by ../bundle.ts). Nodes can be dragged; the
 * "Save layout" form sends their places back; "Download as PNG" saves the picture. False when there
 * is nothing to draw.
 */
const icons = new Map(Object.entries(MAP_ICONS).map(([kind, d]) => [kind, new Path2D(d)]))

/**
 * Each node's name, with its kind's pictogram drawn over the node (the label layer lies above
 * the nodes), and the space both take noted so that no link label is written over them.
 */
function nodeLabelDrawer(room: LabelRoom): NodeLabelDrawingFunction {
  return (context, data, settings) => {
    const icon = icons.get((data as { icon?: string }).icon ?? '')
    if (icon && data.size >= 5) {
      const scale = (data.size * 1.25) / 24
      context.save()
      context.translate(data.x - 12 * scale, data.y - 12 * scale)
      context.scale(scale, scale)
      context.fillStyle = (data as { iconColor?: string }).iconColor ?? '#ffffff'
      context.fill(icon, 'evenodd')
      context.restore()
    }
    room.addNode(data.x, data.y, data.size)
    if (!data.label) return
    context.fillStyle = '#0b0c0c'
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`
    context.fillText(data.label, data.x + data.size + 3, data.y + settings.labelSize / 3)
    room.addName(data.x + data.size + 3, data.y - (settings.labelSize * 2) / 3, context.measureText(data.label).width, settings.labelSize)
  }
}

/**
 * A link's label along it, at the first of a few places along the link where it covers no other
 * label, node or name; left out when there is none (zooming in makes room; the link table holds
 * every label).
 */
function edgeLabelDrawer(room: LabelRoom, shown: { drawn: number; hidden: number }, container: HTMLElement): EdgeLabelDrawingFunction {
  const count = () => {
    container.dataset.edgeLabelsDrawn = String(shown.drawn)
    container.dataset.edgeLabelsHidden = String(shown.hidden)
  }
  return (context, edge, source, target, settings) => {
    if (!edge.label) return
    context.font = `${settings.edgeLabelWeight} ${settings.edgeLabelSize}px ${settings.edgeLabelFont}`
    const measure = (text: string) => context.measureText(text).width
    const curvature = (edge as { curvature?: number }).curvature ?? 0
    for (const place of LABEL_PLACES) {
      const glyphs = labelAlongLink(edge.label, measure, source, target, curvature, edge.size, place)
      if (!glyphs || !room.fits(glyphs, settings.edgeLabelSize)) continue
      room.take(glyphs, settings.edgeLabelSize)
      context.fillStyle = '#0b0c0c'
      for (const g of glyphs) {
        context.save()
        context.translate(g.x, g.y)
        context.rotate(g.angle)
        context.fillText(g.char, 0, 0)
        context.restore()
      }
      shown.drawn++
      return count()
    }
    shown.hidden++
    count()
  }
}

export async function drawMap(container: HTMLElement): Promise<boolean> {
  const canvas = container.querySelector<HTMLElement>('[data-map-canvas]')!
  const response = await fetch(container.dataset.src!, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`the map’s data could not be loaded (${response.status})`)
  const data = (await response.json()) as MapData
  if (!data.nodes.length) return false
  const graph = mapGraph(data)
  const room = new LabelRoom()
  const shown = { drawn: 0, hidden: 0 }
  const drawNodeLabel = nodeLabelDrawer(room)
  const drawEdgeLabel = edgeLabelDrawer(room, shown, container)
  // The square program brings its own label drawing; ours replaces it, as for the other shapes.
  class SquareProgram extends NodeSquareProgram {
    override drawLabel = drawNodeLabel as NodeSquareProgram['drawLabel']
  }
  const renderer = new Sigma(graph, canvas, {
    renderEdgeLabels: true,
    defaultEdgeType: 'arrow',
    defaultDrawNodeLabel: drawNodeLabel,
    nodeProgramClasses: {
      square: SquareProgram,
      ringed: createNodeBorderProgram({ borders: [{ size: { value: 0.3 }, color: { attribute: 'ring' } }, { size: { fill: true }, color: { attribute: 'color' } }], drawLabel: drawNodeLabel }),
    },
    edgeProgramClasses: {
      // Curved links with arrowheads large enough to see which way a link runs at a glance.
      arrow: createEdgeCurveProgram({ arrowHead: { extremity: 'target', lengthToThicknessRatio: 5, widenessToThicknessRatio: 4 }, drawLabel: drawEdgeLabel }),
      line: createEdgeCurveProgram({ arrowHead: null, drawLabel: drawEdgeLabel }),
    },
    // Every node's name and pictogram drawn whatever its size (forceLabel), large enough to read.
    labelRenderedSizeThreshold: 0,
    labelSize: 14,
    labelWeight: '600',
    labelFont: 'arial, sans-serif',
    edgeLabelSize: 12,
    edgeLabelFont: 'arial, sans-serif',
    edgeLabelColor: { color: '#0b0c0c' },
    zIndex: true,
  })
  // A drawing starts with the nodes' names, so the room starts empty; on a hover sigma redraws
  // the link labels alone (nodes and names unchanged), so only their part of the room is cleared.
  renderer.on('beforeRender', () => {
    room.clear()
    shown.drawn = shown.hidden = 0
  })
  for (const hover of ['enterNode', 'leaveNode'] as const) {
    renderer.on(hover, () => {
      room.clearLabels()
      shown.drawn = shown.hidden = 0
    })
  }
  // For the browser test: the room, to check that no two labels meet.
  ;(container as HTMLElement & { lanternLabelRoom?: LabelRoom }).lanternLabelRoom = room

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
