// Draws the network explorer's map (the bundle of src/modules/network/map/client.ts). The tables on
// the page hold everything the map shows and the page works without this script; when the map
// cannot be drawn the page says so, rather than leaving a gap.
const container = document.querySelector('[data-map]')
if (container) {
  container.hidden = false
  container.dataset.mapState = 'drawing'
  import('/network/map-bundle.js')
    .then(({ drawMap }) => drawMap(container))
    .then(
      (drawn) => {
        container.dataset.mapState = drawn ? 'drawn' : 'empty'
      },
      (error) => {
        container.dataset.mapState = 'failed'
        container.querySelector('[data-map-canvas]')?.setAttribute('hidden', '')
        const message = container.querySelector('[data-map-failed]')
        if (message) {
          message.textContent = `The map could not be drawn: ${error instanceof Error ? error.message : 'your browser could not draw it'}. The tables below hold everything it would show.`
          message.hidden = false
        }
      },
    )
}
