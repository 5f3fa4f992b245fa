export const devices = [
  { id: "desktop", label: "Desktop", width: null },
  { id: "tablet", label: "Tablet", width: 768 },
  { id: "phone", label: "Phone", width: 375 },
] as const;

export type DeviceId = (typeof devices)[number]["id"];
