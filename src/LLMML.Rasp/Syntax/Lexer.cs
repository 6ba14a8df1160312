using System.Globalization;
using System.Text;

namespace LLMML.Rasp.Syntax;

internal enum TokenKind { Number, String, Name, Op, Newline, End }

internal readonly record struct Token(TokenKind Kind, string Text, double Number, int Line, int Column);

/// <summary>Splits .rasp text into tokens. '#' starts a comment; newlines end statements except inside brackets.</summary>
internal static class Lexer
{
    private static readonly string[] Ops = ["==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", ",", ":", "&", "|", "~"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int line = 1, col = 1, depth = 0, i = 0;
        void Advance(int n) { i += n; col += n; }
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (depth == 0 && tokens.Count > 0 && tokens[^1].Kind != TokenKind.Newline) tokens.Add(new(TokenKind.Newline, "\\n", 0, line, col));
                i++; line++; col = 1;
                continue;
            }
            if (char.IsWhiteSpace(c)) { Advance(1); continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') Advance(1); continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] == 'e' ||
                       ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e')))) i++;
                var s = text[start..i];
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    throw new RaspSyntaxException(line, col, $"malformed number '{s}'");
                tokens.Add(new(TokenKind.Number, s, d, line, col));
                col += i - start;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new(TokenKind.Name, text[start..i], 0, line, col));
                col += i - start;
                continue;
            }
            if (c == '"' || c == '\'')
            {
                var (startLine, startCol) = (line, col);
                var sb = new StringBuilder();
                Advance(1);
                while (true)
                {
                    if (i >= text.Length || text[i] == '\n') throw new RaspSyntaxException(startLine, startCol, "unterminated string");
                    if (text[i] == c) { Advance(1); break; }
                    if (text[i] == '\\' && i + 1 < text.Length) { Advance(1); sb.Append(text[i] == 'n' ? '\n' : text[i]); Advance(1); continue; }
                    sb.Append(text[i]);
                    Advance(1);
                }
                tokens.Add(new(TokenKind.String, sb.ToString(), 0, startLine, startCol));
                continue;
            }
            var op = Ops.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                ?? throw new RaspSyntaxException(line, col, $"unexpected character '{c}'");
            if (op == "(") depth++;
            if (op == ")") depth = Math.Max(0, depth - 1);
            tokens.Add(new(TokenKind.Op, op, 0, line, col));
            Advance(op.Length);
        }
        if (tokens.Count > 0 && tokens[^1].Kind != TokenKind.Newline) tokens.Add(new(TokenKind.Newline, "\\n", 0, line, col));
        tokens.Add(new(TokenKind.End, "end of file", 0, line, col));
        return tokens;
    }
}
