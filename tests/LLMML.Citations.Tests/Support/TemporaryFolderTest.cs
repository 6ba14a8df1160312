namespace LLMML.Citations.Tests.Support;

/// <summary>A test class with its own temporary folder, deleted after each test (xunit creates one instance per test).</summary>
public abstract class TemporaryFolderTest : IDisposable
{
    /// <summary>The folder.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory("llmml-citations-").FullName;

    /// <inheritdoc />
    public void Dispose()
    {
        Directory.Delete(Dir, true);
        GC.SuppressFinalize(this);
    }
}
