/** Cooperative cancellation: solvers poll `shouldStop` between iterations and inside long loops. */
export type ShouldStop = () => boolean;

/** Thrown inside a long loop when `shouldStop()` turns true; caught by the solver, which returns its best iterate. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}
