export function App() {
  return (
    <main>
      <h1>CORS Lens</h1>
      <p>Cross-origin calls of this tab appear here.</p>
    </main>
  );
}
