// Next's route-handler pipeline with a handler that does no work: the floor under Slipway's /api/v1/health.
export function GET() {
  return Response.json({ message: "Healthy", data: { status: "ok" }, metadata: {} });
}
