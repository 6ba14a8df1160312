namespace LLMML.Rasp.Tests;

/// <summary>Plain C# answers to the injection tasks, independent of RASP.</summary>
internal static class ReferenceAnswers
{
    /// <summary>No prefix closes more of (), [] or {} than it opened, and every bracket is closed.</summary>
    public static bool IsShuffleDyck(string s)
    {
        var depth = new int[3];
        foreach (var ch in s)
        {
            var i = "([{".IndexOf(ch);
            if (i >= 0) depth[i]++;
            var j = ")]}".IndexOf(ch);
            if (j >= 0 && --depth[j] < 0) return false;
        }
        return depth.All(d => d == 0);
    }
}
