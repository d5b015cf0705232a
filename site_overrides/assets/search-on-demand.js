/* The search index is fetched when a reader starts to search, not by every page as it loads.

   Why: Material's script asks for search/search_index.json as soon as a page opens. With every
   partnership's protocol in it, that file outweighs the page itself, and most readers never search.
   This script, loaded before Material's, holds that one request back until the reader opens the search
   (the header's search button, a keyboard shortcut, or focus in the search field) or arrives from a search
   result (?h= in the address, which asks for the words to be highlighted). Material waits for the index
   as it does on a slow network ("Initializing search"), then searches as usual. Nothing else is changed:
   any other request goes out at once. */
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var wanted = /[?&]h=/.test(window.location.search);
  var held = [];

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    var path = String(url).split(/[?#]/)[0];
    this.escalationSearchIndex = INDEX.test(path);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.escalationSearchIndex && !wanted) {
      var request = this, args = arguments;
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function isSearch(element) {
    return element && (element.id === "__search" || (element.closest && element.closest("form[name=search]")));
  }
  document.addEventListener("focusin", function (event) { if (isSearch(event.target)) want(); }, true);
  document.addEventListener("change", function (event) { if (isSearch(event.target)) want(); }, true);
  document.addEventListener("click", function (event) {
    var label = event.target && event.target.closest && event.target.closest("label[for=__search]");
    if (label) want();
  }, true);
})();
