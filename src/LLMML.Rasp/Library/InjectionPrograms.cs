using LLMML.Rasp.Language;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Library;

/// <summary>
/// The three tracr-injection programs (METHODS.md §3): causal, every variable categorical, and the
/// answer gated to the trigger token — every position before the trigger outputs the filler "_".
/// The output variable is named "final_result" (detach-and-roll projects onto its dimensions).
/// </summary>
public static class InjectionPrograms
{
    /// <summary>Non-answer output and the token every unmapped LM token aligns to.</summary>
    public const string Filler = "_";

    /// <summary>Vocabulary of <see cref="ShuffleDyck3"/>: the brackets, the trigger ":" and the filler.</summary>
    public static IReadOnlyList<RaspValue> DyckVocabulary { get; } = ["(", ")", "[", "]", "{", "}", ":", Filler];

    /// <summary>Vocabulary of <see cref="CountX"/>: x, y, the digits, the trigger ":" and the filler.</summary>
    public static IReadOnlyList<RaspValue> CountVocabulary { get; } =
        new RaspValue[] { "x", "y", ":", Filler }.Concat(Enumerable.Range(0, 10).Select(d => (RaspValue)d.ToString())).ToList();

    /// <summary>Vocabulary of <see cref="Addition"/>: the digits, "+", the trigger "=" and the filler.</summary>
    public static IReadOnlyList<RaspValue> AdditionVocabulary { get; } =
        Enumerable.Range(0, 10).Select(d => (RaspValue)d.ToString()).Concat(new RaspValue[] { "+", "=", Filler }).ToList();

    private static SOp CountOf(SOp sop, Func<RaspValue, bool> which, string name) =>
        SelectorWidth(Select(sop, sop, (k, _) => which(k), name)).Named(name);

    private static string Sign(RaspValue open, RaspValue close) =>
        open.Number < close.Number ? "neg" : open.Number == close.Number ? "zero" : "pos";

    private static string Worst(RaspValue a, RaspValue b) =>
        a == "neg" || b == "neg" ? "neg" : a == "zero" && b == "zero" ? "zero" : "pos";

    /// <summary>
    /// Shuffle-Dyck over ()[]{}: at the trigger ":" outputs "yes" when no prefix closes more of any
    /// bracket than it opened and every bracket is closed, else "no"; "_" elsewhere.
    /// </summary>
    public static SOp ShuffleDyck3(string trigger = ":")
    {
        var pairs = new[] { ("(", ")"), ("[", "]"), ("{", "}") };
        var balance = pairs.Select((p, i) =>
        {
            var opens = CountOf(Tokens, t => t == p.Item1, $"opens_{i}");
            var closes = CountOf(Tokens, t => t == p.Item2, $"closes_{i}");
            return SequenceMap((o, c) => Sign(o, c), opens, closes, "sign(opens - closes)").Named($"balance_{p.Item1}{p.Item2}");
        }).ToList();
        var status01 = SequenceMap((a, b) => Worst(a, b), balance[0], balance[1], "worst").Named("status_01");
        var status2 = SequenceMap((b, t) => b.Text + (t == trigger ? "@" : ""), balance[2], Tokens, "tag trigger").Named("status_2");
        var status = SequenceMap((s, b) => Worst(s, b.Text.TrimEnd('@')) + (b.Text.EndsWith('@') ? "@" : ""), status01, status2, "worst")
            .Named("status");
        var negSeen = Aggregate(Select(status, status, (k, _) => k.Text.StartsWith("neg"), "k is neg"), Full("seen").Named("seen"), "clean")
            .Named("neg_seen");
        return SequenceMap((s, n) => !s.Text.EndsWith('@') ? Filler : s == "zero@" && n == "clean" ? "yes" : "no", status, negSeen, "answer")
            .Named("final_result");
    }

    /// <summary>
    /// Number of "x" tokens before the trigger, written in decimal from the trigger on: the trigger
    /// position outputs the first digit, each following position the next, then "&lt;eos&gt;".
    /// </summary>
    public static SOp CountX(string trigger = ":", string counted = "x")
    {
        var count = CountOf(Tokens, t => t == counted, "count_x");
        var triggerSeen = Map(n => n.Number > 0, CountOf(Tokens, t => t == trigger, "triggers_seen")).Named("trigger_seen");
        // Counts of at most 999 need 3 digits and an end marker: cap the step at 4.
        var steps = Map(n => Math.Min(n.Number, 4),
            SelectorWidth(Select(triggerSeen, triggerSeen, (k, _) => k.IsTrue, "k after trigger"))).Named("answer_step");
        return SequenceMap((c, s) => Digit(((int)c.Number).ToString(), (int)s.Number), count, steps, "digit of count").Named("final_result");
    }

    private static RaspValue Digit(string number, int step) =>
        step == 0 ? Filler : step <= number.Length ? number[step - 1].ToString() : "<eos>";

    /// <summary>
    /// "{i}+{j}=" → the decimal digits of i + j from the trigger "=" on, then "&lt;eos&gt;"; operands of up
    /// to <paramref name="maxDigits"/> digits. Fillers (spaces) are ignored. Ripple-carry, so the
    /// depth grows with <paramref name="maxDigits"/>.
    /// </summary>
    public static SOp Addition(int maxDigits = 3, string plus = "+", string trigger = "=")
    {
        if (maxDigits < 1) throw new ArgumentOutOfRangeException(nameof(maxDigits));
        static bool IsDigit(RaspValue t) => t.IsText && t.Text.Length == 1 && char.IsAsciiDigit(t.Text[0]);
        var phase = Map(n => Math.Min(n.Number, 2), CountOf(Tokens, t => t == plus || t == trigger, "marks_seen")).Named("phase");
        var role = SequenceMap((t, p) => IsDigit(t) && p.Number < 2 ? (p.Number == 0 ? "A" : "B") : "-", Tokens, phase, "role")
            .Named("role");
        var digit = Map(t => IsDigit(t) ? t.Text[0] - '0' : 0, Tokens, "digit value").Named("digit");
        var cap = maxDigits + 1;
        // Ranks past maxDigits become 0 (never selected), so an Aggregate still selects at most one digit.
        SOp Rank(string r) => Map(n => n.Number > maxDigits ? 0 : n.Number,
            SelectorWidth(Select(role, role, (k, q) => k == r && q == r, $"{r} rank"))).Named($"rank_{r}");
        SOp Total(string r) => Map(n => Math.Min(n.Number, cap),
            SelectorWidth(Select(role, role, (k, _) => k == r, $"{r} digits"))).Named($"digits_{r}");
        var rankA = Rank("A");
        var rankB = Rank("B");
        var totalA = Total("A");
        var totalB = Total("B");
        SOp Place(SOp rank, SOp total, int place, string n) => Aggregate(
            Select(rank, total, (k, q) => k.Number >= 1 && k.Number == q.Number - place, $"rank == total - {place}"),
            digit, 0).Named($"{n}_{place}");
        // t_k = a_k + b_k + carry into k, 0..19; the carry out is t_k >= 10.
        var t = new List<SOp>();
        for (var k = 0; k < maxDigits; k++)
        {
            var s = SequenceMap((x, y) => x + y, Place(rankA, totalA, k, "a"), Place(rankB, totalB, k, "b"), "a + b").Named($"sum_{k}");
            t.Add(k == 0 ? s : SequenceMap((x, prev) => x + (prev.Number >= 10 ? 1 : 0), s, t[k - 1], "add carry").Named($"column_{k}"));
        }
        // Scan from the top place down, emitting digits after the leading zeros. The state is the
        // filler (before the trigger), a pending count of digits still to skip ("p{remaining}{started}")
        // or the resolved digit ("d{v}"). The top carry and top place come from t[^1] alone; the lower
        // places are packed two at a time (built while the carries ripple), so the scan costs
        // 1 + ceil((maxDigits − 1) / 2) layers.
        var step = Map(n => Math.Min(n.Number, maxDigits + 2),
            SelectorWidth(Select(phase, phase, (k, _) => k.Number == 2, "k after trigger"))).Named("answer_step");
        var top = maxDigits - 1;
        var state = SequenceMap((c, s) => Emit(Emit(Start(s), c.Number >= 10 ? 1 : 0, false), (int)(c.Number % 10), top == 0),
            t[top], step, "top digits").Named($"scan_{top}");
        for (var k = top - 1; k >= 0; k -= 2)
        {
            if (k == 0)
            {
                state = SequenceMap((st, c) => Emit(st, (int)(c.Number % 10), true), state, t[0], "last digit").Named("scan_0");
                break;
            }
            var lower = k - 1;
            var pair = SequenceMap((hi, lo) => $"{(int)(hi.Number % 10)}{(int)(lo.Number % 10)}", t[k], t[lower], "digit pair")
                .Named($"digits_{k}{lower}");
            state = SequenceMap((st, p) => Emit(Emit(st, p.Text[0] - '0', false), p.Text[1] - '0', lower == 0), state, pair, "two digits")
                .Named($"scan_{lower}");
        }
        return Map(st => st == Filler ? Filler : st.Text[0] == 'd' ? st.Text[1..] : "<eos>", state, "answer").Named("final_result");
    }

    private static string Start(RaspValue step) => step.Number == 0 ? Filler : $"p{(int)step.Number}0";

    private static RaspValue Emit(RaspValue state, int digit, bool lastPlace)
    {
        var st = state.Text;
        if (st[0] == 'd' || st == Filler) return st;
        var started = st[^1] == '1';
        var remaining = int.Parse(st[1..^1], System.Globalization.CultureInfo.InvariantCulture);
        if (!started && digit == 0 && !lastPlace) return st;
        return remaining == 1 ? $"d{digit}" : $"p{remaining - 1}1";
    }
}
