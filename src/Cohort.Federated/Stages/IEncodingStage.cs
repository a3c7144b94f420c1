using Cohort.Federated.Compression;
using Cohort.Federated.State;

namespace Cohort.Federated.Stages;

/// <summary>
/// A stage that writes the bytes an update travels as: a receiver decodes its messages with one of
/// <see cref="Decoders"/> (picked by the compressor id each message starts with), and keeps the decoded
/// update per client as <see cref="ServerState"/> when the stage's later messages refer to it.
/// </summary>
public interface IEncodingStage
{
    IReadOnlyList<ICompressor> Decoders { get; }

    /// <summary>The per-client vector the receiver keeps of the decoded update (one per exchange: <see cref="ClientVector.In"/>); null when none.</summary>
    ClientVector? ServerState { get; }
}
