// The application flow's step indicator.
Component({
  properties: { items: { type: Array, value: [] } },
});
