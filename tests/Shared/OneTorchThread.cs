using System.Runtime.CompilerServices;

namespace LLMML.Tests.Shared;

/// <summary>
/// Every test project that uses torch runs it on one intra-op thread. The test models are tiny and gain nothing from a
/// second thread, while `dotnet test LLMML.sln` runs the test hosts side by side: on two cores, two spinning OpenMP
/// threads per host made torch-heavy tests an order of magnitude slower (measured: 33 eigenpruning tests 2 min → 6 s).
/// </summary>
internal static class OneTorchThread
{
    [ModuleInitializer]
    internal static void Initialize() => TorchSharp.torch.set_num_threads(1);
}
