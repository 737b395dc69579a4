/** The stylesheet shared by the friend and owner pages: small, readable on a phone. */
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f6f4}
header{background:#23395b;color:#fff;padding:12px 16px}
header h1{margin:0;font-size:1.2rem}
header p{margin:4px 0 0;font-size:.9rem;opacity:.85}
main{max-width:720px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:12px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:1.05rem;margin:0 0 8px}
label{display:block;font-size:.85rem;color:#555;margin:6px 0 2px}
input,select,textarea,button{font:inherit;width:100%;padding:10px;border:1px solid #bbb;border-radius:6px;background:#fff}
textarea{min-height:4.5em;resize:vertical}
button{background:#23395b;color:#fff;border:0;margin-top:8px;cursor:pointer;min-height:44px}
button.secondary{background:#e4e8ef;color:#23395b}
.row{display:flex;gap:8px;flex-wrap:wrap}.row>*{flex:1 1 140px}
ul{list-style:none;margin:0;padding:0}
li{border-top:1px solid #eee;padding:10px 0}
li:first-child{border-top:0}
.title{font-weight:600}
.meta{font-size:.85rem;color:#555}
.status{display:inline-block;font-size:.8rem;padding:2px 8px;border-radius:10px;background:#e4e8ef;margin-top:4px}
.status.OK{background:#d8f0dc}.status.Conflict,.status.Rejected,.status.Declined,.status.Unresolved{background:#f7dede}
#message{min-height:1.4em;font-size:.95rem}
#message.error{color:#a40000}
.hidden{display:none}
code{word-break:break-all;font-size:.85rem}
table{width:100%;border-collapse:collapse;font-size:.9rem}td,th{text-align:left;padding:4px;border-top:1px solid #eee;vertical-align:top}
`;

/** The element helper both page scripts use (inlined into each: the pages load no shared script). */
export const EL_HELPER_JS = `  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
`;
