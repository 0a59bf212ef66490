import { MASK, maskSecrets, maskText, secretForms } from "../../../src/core/transcript/maskSecrets";

const SECRET = "p@ss w/rd+ü?&=";
const b64 = Buffer.from(SECRET, "utf8").toString("base64");
const b64url = Buffer.from(SECRET, "utf8").toString("base64url");

test.each([
  ["as given", `token=${SECRET};`],
  ["base64", `basic ${b64}`],
  ["base64 without padding", `x${b64.replace(/=+$/, "")}y`],
  ["URL-safe base64", `jwt.${b64url}.sig`],
  ["percent-encoded as a URI component", `?q=${encodeURIComponent(SECRET)}&x=1`],
  ["percent-encoded as a URI", `https://h/${encodeURI(SECRET)}`],
  ["form-encoded", `a=${encodeURIComponent(SECRET).replace(/%20/g, "+")}`],
  ["percent-encoded with lower-case hex", `q=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`],
])("a secret echoed %s is masked", (_form, echoed) => {
  const masked = maskText(echoed, secretForms([SECRET]));
  expect(masked).toContain(MASK);
  expect(masked).not.toContain(SECRET);
  expect(masked).not.toContain(b64.slice(0, 8));
  expect(masked).not.toContain(encodeURIComponent(SECRET).slice(0, 8));
});

test("forms are tried longest first, and text without a secret is left alone", () => {
  const forms = secretForms(["abcd", "abcdef"]);
  expect(forms.indexOf("abcdef")).toBeLessThan(forms.indexOf("abcd"));
  expect(maskText("xx abcdef yy", forms)).toBe(`xx ${MASK} yy`);
  expect(maskText("nothing here", forms)).toBe("nothing here");
  expect(secretForms([""])).toEqual([]);
});

test("the hint of a status is masked too", () => {
  const e = maskSecrets({ type: "status", at: 0, code: 14, message: "no", details: [], hint: "Is s3cr3t.example:443 up?" }, secretForms(["s3cr3t.example"]));
  expect(e).toMatchObject({ hint: `Is ${MASK}:443 up?` });
});
