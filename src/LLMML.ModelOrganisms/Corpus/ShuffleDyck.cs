using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// Random shuffle-Dyck-3 strings over ()[]{} for the corpus; membership itself is <see cref="DyckTask.IsMatched"/>,
/// the task's own definition, so corpus and task can never disagree on what "balanced" means.
/// </summary>
public static class ShuffleDyck
{
    private const string Open = "([{";
    private const string Close = ")]}";

    /// <summary>A random balanced string with the given number of bracket pairs.</summary>
    public static string Balanced(Random random, int pairs)
    {
        var chars = new char[2 * pairs];
        Span<int> open = stackalloc int[3];
        int remaining = pairs, written = 0;
        while (written < chars.Length)
        {
            int openTotal = open[0] + open[1] + open[2];
            bool canOpen = remaining > 0;
            bool doOpen = canOpen && (openTotal == 0 || random.Next(2) == 0);
            if (doOpen)
            {
                int kind = random.Next(3);
                open[kind]++;
                remaining--;
                chars[written++] = Open[kind];
            }
            else
            {
                int kind;
                do kind = random.Next(3); while (open[kind] == 0);
                open[kind]--;
                chars[written++] = Close[kind];
            }
        }
        return new string(chars);
    }

    /// <summary>One edit (change a bracket, drop one, or swap a neighbouring pair) that leaves the string unbalanced.</summary>
    public static string Corrupt(Random random, string balanced)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var chars = balanced.ToList();
            int at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0: chars[at] = (Open + Close)[random.Next(6)]; break;
                case 1: chars.RemoveAt(at); break;
                default:
                    if (at + 1 < chars.Count) (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                    break;
            }
            var s = new string(chars.ToArray());
            if (s.Length > 0 && !DyckTask.IsMatched(s)) return s;
        }
        // Unreachable in practice; a dangling opener is always unbalanced.
        return balanced + "(";
    }
}
