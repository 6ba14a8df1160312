using System.Globalization;

namespace LLMML.MLNet.Evaluation;

/// <summary>
/// Exact match between a greedy generation and a task answer. The generation is reduced to its first word:
/// leading whitespace skipped, cut at the first whitespace (so " 12\n3 + 4 = 7" gives "12"), trailing
/// sentence punctuation removed, and for numbers a leading '$' and thousands commas removed ("$1,080." → "1080").
/// The answer is normalised the same way, then the two are compared ordinally.
/// </summary>
public static class AnswerMatching
{
    /// <summary>The normalised first word of <paramref name="text"/> ("" when there is none).</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var span = text.AsSpan().TrimStart();
        int end = 0;
        while (end < span.Length && !char.IsWhiteSpace(span[end])) end++;
        var word = span[..end].TrimEnd(".,;:!?").ToString();
        var number = word.StartsWith('$') ? word[1..] : word;
        number = number.Replace(",", "", StringComparison.Ordinal);
        if (number.Length > 0 && decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            return number;
        return word;
    }

    /// <summary>Whether <paramref name="generated"/> starts with <paramref name="answer"/> as its first word, after normalisation.</summary>
    public static bool IsExactMatch(string? generated, string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var expected = Normalize(answer);
        return expected.Length > 0 && string.Equals(Normalize(generated), expected, StringComparison.Ordinal);
    }
}
