using System.Text;

namespace LLMML.MLNet.Tasks;

/// <summary>
/// dyck (tracr-injection paper): "Are parenthesis here correctly matched? {s}\nAnswer:" → yes/no, where s is
/// over ()[]{} and "matched" means shuffle-Dyck: each bracket type on its own never closes more than it opened
/// and ends balanced (types may interleave, so "([)]" is matched). Classes are balanced 50/50.
/// </summary>
/// <remarks>
/// Positives are random shuffle-Dyck strings (even lengths); negatives of train/test are random strings over the
/// same characters that are not matched. OOD: lengths 31–90; almost-balanced negatives (a matched string with one
/// character changed); and strings that also use the unseen pair &lt;&gt;.
/// </remarks>
public sealed class DyckTask : SyntheticTask
{
    /// <summary>Split names of the OOD variants.</summary>
    public const string OodLength = "ood-length", OodNearBalanced = "ood-near-balanced", OodNewPair = "ood-new-pair";

    /// <summary>The two answers, in key order.</summary>
    public const string Yes = "yes", No = "no";

    /// <summary>The in-distribution bracket pairs, opener then closer.</summary>
    public const string Pairs = "()[]{}";

    private const string PairsWithNew = "()[]{}<>";

    /// <summary>Defines the task with the given split sizes (even numbers keep classes exactly balanced).</summary>
    public DyckTask(int trainCount = 2000, int testCount = 500, int oodCount = 500, int seed = 42)
        : base(trainCount, testCount, oodCount, seed)
    {
    }

    /// <summary>The prompt for a bracket string.</summary>
    public static string PromptFor(string s) => $"Are parenthesis here correctly matched? {s}\nAnswer:";

    /// <inheritdoc />
    public override string Name => "dyck";

    /// <inheritdoc />
    public override string Description =>
        "Shuffle-Dyck over ()[]{} (tracr-injection paper): \"Are parenthesis here correctly matched? {s}\\nAnswer:\" → yes/no; each bracket type " +
        $"must balance on its own. Train {TrainCount} / test {TestCount} distinct strings of length 5–30, classes 50/50 (seed {Seed}). " +
        "OOD: lengths 31–90, almost-balanced negatives, the unseen pair <>.";

    /// <inheritdoc />
    public override IReadOnlyList<string>? AnswerSet { get; } = [Yes, No];

    /// <inheritdoc />
    public override IReadOnlyList<string> SplitNames { get; } = [TaskSplits.Train, TaskSplits.Test, OodLength, OodNearBalanced, OodNewPair];

    /// <inheritdoc />
    protected override string DescribeSplit(string split) => split switch
    {
        TaskSplits.Train => "lengths 5–30; negatives are random unmatched strings",
        TaskSplits.Test => "other strings, same distribution",
        OodLength => "lengths 31–90",
        OodNearBalanced => "lengths 5–30; negatives are matched strings with one character changed",
        OodNewPair => "lengths 5–30 over ()[]{}<>, every string uses < or >",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>Whether every bracket type in <paramref name="s"/> balances on its own (shuffle-Dyck membership).</summary>
    public static bool IsMatched(string s, string pairs = PairsWithNew)
    {
        var depth = new int[pairs.Length / 2];
        foreach (var c in s)
        {
            int p = pairs.IndexOf(c);
            if (p < 0) throw new ArgumentException($"'{c}' is not a bracket of \"{pairs}\".", nameof(s));
            if (p % 2 == 0) depth[p / 2]++;
            else if (--depth[p / 2] < 0) return false;
        }
        return depth.All(d => d == 0);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<TaskExample> Generate(string split)
    {
        switch (split)
        {
            case TaskSplits.Train:
            case TaskSplits.Test:
                {
                    // One draw for both so they are disjoint; each split takes half of its rows from each class.
                    var r = new Random(Seed);
                    var (yes, no) = Draw(r, TrainCount + TestCount, 5, 30, Pairs, nearMissNegatives: false, exclude: null, requireNew: false);
                    int trainYes = TrainCount / 2, trainNo = TrainCount - trainYes;
                    var part = split == TaskSplits.Train
                        ? yes.Take(trainYes).Concat(no.Take(trainNo)).ToList()
                        : yes.Skip(trainYes).Concat(no.Skip(trainNo)).ToList();
                    Sampling.Shuffle(part, r);
                    return part;
                }
            case OodLength:
                return Mixed(new Random(Seed + 1), OodCount, 31, 90, Pairs, false, null, false);
            case OodNearBalanced:
                {
                    var seen = new HashSet<string>(GetExamples(TaskSplits.Train).Concat(GetExamples(TaskSplits.Test)).Select(e => e.Prompt), StringComparer.Ordinal);
                    return Mixed(new Random(Seed + 2), OodCount, 5, 30, Pairs, true, seen, false);
                }
            case OodNewPair:
                return Mixed(new Random(Seed + 3), OodCount, 5, 30, PairsWithNew, false, null, true);
            default:
                throw new ArgumentOutOfRangeException(nameof(split));
        }
    }

    private static List<TaskExample> Mixed(Random r, int count, int minLength, int maxLength, string pairs, bool nearMissNegatives, ISet<string>? exclude, bool requireNew)
    {
        var (yes, no) = Draw(r, count, minLength, maxLength, pairs, nearMissNegatives, exclude, requireNew);
        var all = yes.Concat(no).ToList();
        Sampling.Shuffle(all, r);
        return all;
    }

    // count/2 matched and the rest unmatched strings, all prompts distinct and outside exclude.
    private static (List<TaskExample> Yes, List<TaskExample> No) Draw(
        Random r, int count, int minLength, int maxLength, string pairs, bool nearMissNegatives, ISet<string>? exclude, bool requireNew)
    {
        var taken = new HashSet<string>(exclude ?? new HashSet<string>(), StringComparer.Ordinal);
        var yes = Sampling.Distinct(() => new TaskExample(PromptFor(Matched(r, minLength, maxLength, pairs, requireNew)), Yes), count / 2, taken);
        taken.UnionWith(yes.Select(e => e.Prompt));
        var no = Sampling.Distinct(() => new TaskExample(PromptFor(nearMissNegatives
            ? NearMiss(r, minLength, maxLength, pairs, requireNew)
            : Unmatched(r, minLength, maxLength, pairs, requireNew)), No), count - count / 2, taken);
        return (yes, no);
    }

    /// <summary>
    /// A random shuffle-Dyck string of even length in [minLength, maxLength] over <paramref name="pairs"/>, each bracket
    /// kind balanced on its own (the task's positives; the organisms' corpus draws its bracket statements here too).
    /// </summary>
    public static string Matched(Random r, int minLength, int maxLength, string pairs = Pairs, bool requireNew = false)
    {
        int lo = minLength % 2 == 0 ? minLength : minLength + 1;
        while (true)
        {
            int n = lo + 2 * r.Next((maxLength - lo) / 2 + 1);
            var s = new StringBuilder(n);
            var depth = new int[pairs.Length / 2];
            int open = 0;
            for (int t = 0; t < n; t++)
            {
                // n is even, so open and the remaining length share parity: closing is forced only when they are equal.
                bool close = open > 0 && (open == n - t || r.Next(2) == 0);
                if (close)
                {
                    var candidates = Enumerable.Range(0, depth.Length).Where(k => depth[k] > 0).ToArray();
                    int k = candidates[r.Next(candidates.Length)];
                    depth[k]--;
                    open--;
                    s.Append(pairs[2 * k + 1]);
                }
                else
                {
                    int k = r.Next(depth.Length);
                    depth[k]++;
                    open++;
                    s.Append(pairs[2 * k]);
                }
            }
            var text = s.ToString();
            if (!requireNew || text.IndexOfAny(['<', '>']) >= 0) return text;
        }
    }

    private static string Unmatched(Random r, int minLength, int maxLength, string pairs, bool requireNew)
    {
        while (true)
        {
            int n = r.Next(minLength, maxLength + 1);
            var chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = pairs[r.Next(pairs.Length)];
            var text = new string(chars);
            if (!IsMatched(text, pairs) && (!requireNew || text.IndexOfAny(['<', '>']) >= 0)) return text;
        }
    }

    /// <summary>A matched string (at least 6 brackets) with one bracket replaced so that it no longer matches.</summary>
    public static string NearMiss(Random r, int minLength, int maxLength, string pairs = Pairs, bool requireNew = false)
    {
        while (true)
        {
            var chars = Matched(r, Math.Max(minLength, 6), maxLength, pairs, requireNew).ToCharArray();
            int i = r.Next(chars.Length);
            char replacement;
            do replacement = pairs[r.Next(pairs.Length)];
            while (replacement == chars[i]);
            chars[i] = replacement;
            var text = new string(chars);
            if (!IsMatched(text, pairs)) return text;
        }
    }
}
