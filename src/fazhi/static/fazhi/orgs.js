// Organisation pages: a button with data-fill-target="<input id>" and data-fill-value copies the
// value into that input (choosing a candidate parent on the move page).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill-target]");
  if (!button) { return; }
  var input = document.getElementById(button.dataset.fillTarget);
  if (input) {
    input.value = button.dataset.fillValue;
    input.focus();
  }
});
