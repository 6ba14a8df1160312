namespace LLMML.Citations.Tests.Support;

/// <summary>Finds files of the repository by walking up to LLMML.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Data(string name) => Path.Combine(Root, "data", "citations", name);

    /// <summary>A file or folder of this test project's own <c>Data/</c> (miniature inputs made for tests).</summary>
    public static string TestData(string name) => Path.Combine(Root, "tests", "LLMML.Citations.Tests", "Data", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("LLMML.sln not found above " + AppContext.BaseDirectory);
    }
}
