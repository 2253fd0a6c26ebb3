// Send Django's CSRF token with every htmx request (the token is in the <body> hx-headers too,
// this covers fragments swapped in from other pages).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
});
