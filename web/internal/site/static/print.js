// The print view of a case (/arenden/{id}/utskrift) opens the browser's
// print dialogue once it has loaded: the server logged the printing when it
// sent the page. Without scripts, the person prints from the browser's menu.
window.addEventListener('load', function () { window.print(); });
