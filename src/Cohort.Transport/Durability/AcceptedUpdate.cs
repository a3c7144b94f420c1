namespace Cohort.Transport.Durability;

/// <summary>An update taken into a round's aggregate: who sent it, for which task, and its report.</summary>
internal sealed record AcceptedUpdate(int Round, int Client, string TaskId, long Samples, double LossSum, long Batches, long UplinkBytes);
