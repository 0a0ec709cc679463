// Loads the WebAssembly app. A file of its own (not an inline script), so the content
// security policy can forbid inline scripts.
import init from './zhihui_frontend.js';
init({ module_or_path: '/zhihui_frontend_bg.wasm' });
