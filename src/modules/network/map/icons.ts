/**
 * A pictogram for each kind on the map, as SVG path data in a 24 by 24 box (filled, even-odd), so
 * a kind reads from its picture as well as its shape and colour. One home for the browser's map
 * (drawn with Path2D), the SVG export and the key.
 */
export const MAP_ICONS: Record<string, string> = {
  // A person: head and shoulders.
  nominal: 'M12 3a4.5 4.5 0 1 1 0 9a4.5 4.5 0 1 1 0-9zM3.5 21.5c0-4.8 3.8-8 8.5-8s8.5 3.2 8.5 8z',
  // A child: a smaller person, lower in the box.
  child: 'M12 6a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7zM6 21c0-3.7 2.7-6.5 6-6.5s6 2.8 6 6.5z',
  // A deal line: a mobile phone, its screen cut out.
  line: 'M7 1.5h10a1.5 1.5 0 0 1 1.5 1.5v18a1.5 1.5 0 0 1-1.5 1.5H7a1.5 1.5 0 0 1-1.5-1.5V3A1.5 1.5 0 0 1 7 1.5zM7.5 4v13h9V4zM10.5 18.5h3v2h-3z',
  // A location: a house with a door.
  location: 'M12 2.5l10 9h-3v10h-5v-6h-4v6H5v-10H2zM10 15.5h4v6h-4z',
  // A vehicle: a car's body, windows and wheels.
  vehicle: 'M2 11.5h20v6H2zM5.5 6h13l2.5 5.5H3zM7 7.5h4.2v3.5H5.2zM12.8 7.5H17l1.8 3.5h-6zM4 17.5h5v3H4zM15 17.5h5v3h-5z',
  // A group: three people.
  group: 'M12 4a3.2 3.2 0 1 1 0 6.4a3.2 3.2 0 1 1 0-6.4zM5 7a2.6 2.6 0 1 1 0 5.2a2.6 2.6 0 1 1 0-5.2zM19 7a2.6 2.6 0 1 1 0 5.2a2.6 2.6 0 1 1 0-5.2zM6 20.5c0-3.6 2.7-6.5 6-6.5s6 2.9 6 6.5zM0.5 18.5c0-2.9 2-4.8 4.5-4.8c1 0 1.8.3 2.5.7a8 8 0 0 0-2.6 4.1zM23.5 18.5c0-2.9-2-4.8-4.5-4.8c-1 0-1.8.3-2.5.7a8 8 0 0 1 2.6 4.1z',
  // A joint operation: a star, like a police badge.
  operation: 'M12 1.5l3 7 7.5.6-5.7 5 1.8 7.4L12 17.6l-6.6 3.9 1.8-7.4-5.7-5L9 8.5z',
}

/** The pictogram's colour on a node of this fill: dark on the light fills (a group's white, amber), white on the rest. */
export function iconColour(fill: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16))
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#0b0c0c' : '#ffffff'
}
