namespace LLMML.LanguageModels.Tests.Tokenization;

/// <summary>Locates the repository's data/ folder from the test binaries.</summary>
internal static class RepositoryData
{
    public static string TokenizersDirectory => Path.Combine(Root(), "data", "tokenizers");

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln")))
                return dir.FullName;
        }

        // Tests built outside the work tree (scratch builds) fall back to the main checkout.
        return Environment.GetEnvironmentVariable("LLMML_ROOT") ?? "/work/main";
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmml-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
