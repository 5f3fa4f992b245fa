console.log("Slipway static template loaded");
