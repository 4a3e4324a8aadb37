/* The page's rules for choices and answers (assets/answers.js), run by Node's own test runner.
 * The CONFIG here is what dashboard/answers.py hands the page; tests/test_offline.py checks the real one. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const rules = require("../../assets/answers.js");

const CONFIG = {
  rule: "rule",
  operationRule: "operation",
  url: "url",
  barClick: "budget-years",
  answers: "/answers/",
  controls: {op: "operation", year: "year", groups: "groups", source: "pop-source", lang: "lang"},
};
const CONTROLS = {
  op: "MLI", year: "2019", groups: ["refugees", "idps"], lang: "fr", source: "page",
  donor_type: "all", donor: "", sort: "date_desc",
};

test("one choice has one address whatever the order of the groups", () => {
  const a = rules.choiceQuery(CONTROLS, false, CONFIG);
  const b = rules.choiceQuery({...CONTROLS, groups: ["idps", "refugees"]}, false, CONFIG);
  assert.equal(a, b);
  assert.equal(a, "op=MLI&year=2019&lang=fr&groups=idps%2Crefugees&source=page&donor_type=all&donor=&sort=date_desc");
});

test("every field of the choice is in its address", () => {
  const base = rules.choiceQuery(CONTROLS, false, CONFIG);
  for (const [field, value] of [["year", "2018"], ["lang", "en"], ["source", "statistics"], ["op", "BFA"],
    ["donor_type", "private"], ["donor", "Japan"], ["sort", "amount_desc"], ["groups", ["idps"]]]) {
    assert.notEqual(rules.choiceQuery({...CONTROLS, [field]: value}, false, CONFIG), base, field);
  }
});

test("no group ticked is 'none', and the operation rule is named", () => {
  assert.match(rules.choiceQuery({...CONTROLS, groups: []}, false, CONFIG), /groups=none/);
  assert.match(rules.choiceQuery(CONTROLS, true, CONFIG), /&rule=operation$/);
  assert.equal(rules.pageAddress(CONFIG, rules.choiceQuery(CONTROLS, true, CONFIG)).includes("rule="), false);
});

test("a year change is the same address but its year", () => {
  const query = rules.choiceQuery(CONTROLS, false, CONFIG);
  assert.equal(rules.withYear(query, 2016), rules.choiceQuery({...CONTROLS, year: "2016"}, false, CONFIG));
  assert.deepEqual(rules.yearsAround(["2014", "2015", "2016", "2017", "2018"], "2016"),
    ["2016", "2015", "2017", "2014", "2018"]);
});

test("an address keeps its fields, sorted, with the page's language when it names none", () => {
  assert.equal(rules.addressQuery("?year=2018&groups=idps&x=1", "fr"), "groups=idps&year=2018&lang=fr");
  assert.equal(rules.addressQuery("?lang=en&year=2018", "fr"), rules.addressQuery("?year=2018&lang=en", "fr"));
});

test("which choice a callback answers: a control, a bar, the address", () => {
  const args = {search: "?year=2019", controls: CONTROLS, click: null, shown: {lang: "fr"}};
  assert.equal(rules.requested(CONFIG, args, ["year.value"]), rules.choiceQuery(CONTROLS, false, CONFIG));
  assert.match(rules.requested(CONFIG, args, ["operation.value"]), /rule=operation/);
  assert.equal(rules.requested(CONFIG, args, ["budget-years.clickData"]), null);
  const clicked = {...args, click: {points: [{x: 2016}]}};
  assert.match(rules.requested(CONFIG, clicked, ["budget-years.clickData"]), /year=2016/);
  assert.equal(rules.requested(CONFIG, args, ["url.search"]), "year=2019&lang=fr");
});

test("the version rule: the page's version only", () => {
  assert.equal(rules.sameVersion("abc", "abc"), true);
  assert.equal(rules.sameVersion("abc", "abd"), false);
  assert.equal(rules.sameVersion("abc", undefined), false);
});

test("an answer is applied only to the choice, language, operation, source and version it was asked for", () => {
  const query = rules.choiceQuery(CONTROLS, false, CONFIG);
  const answer = {key: query, version: "v1", selection: {op: "MLI", lang: "fr", source: "page", year: "2019"}};
  assert.equal(rules.answers(answer, query, "v1"), true);
  assert.equal(rules.answers(answer, query, "v2"), false);
  assert.equal(rules.answers({...answer, key: rules.withYear(query, 2018)}, query, "v1"), false);
  for (const [field, value] of [["lang", "en"], ["op", "BFA"], ["source", "statistics"]]) {
    const other = {...answer, selection: {...answer.selection, [field]: value}};
    assert.equal(rules.answers(other, query, "v1"), false, field);
  }
  assert.equal(rules.answers(null, query, "v1"), false);
});

test("only the properties that differ from the screen are set", () => {
  const views = {a: {children: "x", href: "/1"}, b: {figure: {data: [1]}}};
  const texts = rules.texts(views);
  assert.deepEqual(rules.changes(views, texts, {}), views);
  assert.deepEqual(rules.changes(views, texts, texts), {});
  assert.deepEqual(rules.changes(views, texts, {...texts, "a.href": '"/2"'}), {a: {href: "/1"}});
});

test("a choice's changed properties are the callback's outputs, in CONFIG.views' order; the rest left out", () => {
  const NO = {no: "update"};
  const views = [["a", "children"], ["a", "href"], ["b", "figure"], ["c", "data"]];
  const changed = {a: {href: "/1"}, b: {figure: {data: [1]}}};
  const {values, rest} = rules.viewOutputs(views, changed, NO);
  assert.deepEqual(values, [NO, "/1", {data: [1]}, NO]);
  assert.deepEqual(rest, {});
  assert.deepEqual(changed, {a: {href: "/1"}, b: {figure: {data: [1]}}}); // not consumed
  const unnamed = rules.viewOutputs(views, {a: {children: "x", title: "t"}, d: {data: 2}}, NO);
  assert.deepEqual(unnamed.values, ["x", NO, NO, NO]);
  assert.deepEqual(unnamed.rest, {a: {title: "t"}, d: {data: 2}});
});

test("a control shows a value: groups in any order", () => {
  assert.equal(rules.sameControl(["idps", "refugees"], ["refugees", "idps"]), true);
  assert.equal(rules.sameControl(["idps"], ["refugees", "idps"]), false);
  assert.equal(rules.sameControl("2019", "2019"), true);
  assert.equal(rules.sameControl("2019", "2018"), false);
});

test("the callback's arguments by name", () => {
  const named = rules.named(["search", "controls.year", "shown"], ["?a", "2019", {lang: "fr"}]);
  assert.deepEqual(named, {search: "?a", controls: {year: "2019"}, shown: {lang: "fr"}});
});

test("the offline line's date and time in each language", () => {
  const {savedLine} = require("../../assets/offline-text.js");
  const when = new Date(2026, 11, 2, 14, 5).toISOString();
  assert.equal(savedLine("Saved {date} at {time}", "en", when), "Saved 2 Dec 2026 at 14:05");
  assert.equal(savedLine("Le {date} à {time}", "fr", when), "Le 2 déc. 2026 à 14\u00a0h\u00a005");
});
