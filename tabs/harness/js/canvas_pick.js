// The data picker or the canvas of "Draw your own data" (tabs/harness/canvas.py) changed by the user: the tab's data
// setting becomes the picker's choice, or the drawing's code while "Draw your own" is chosen (at once, on the page).
(choice, code) => choice === {{DRAWN}} ? (code || {{EMPTY}}) : choice
