import { styleText } from "node:util";

/** Colour only for a terminal that wants it; plain text for pipes, CI logs and NO_COLOR. */
const useColour = process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;

function paint(format: Parameters<typeof styleText>[0]): (text: string) => string {
  return (text) => (useColour ? styleText(format, text) : text);
}

export const style = {
  bold: paint("bold"),
  dim: paint("dim"),
  green: paint("green"),
  yellow: paint("yellow"),
  red: paint("red"),
  cyan: paint("cyan"),
};
