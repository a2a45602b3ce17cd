/** The in-process cluster: store, object API, logs, image behaviours and controllers. */
import { Store } from './store/store';
import { ObjectApi } from './api/objects';
import { LogStore } from './store/logs';
import { ImageBehaviors } from './controllers/images';
import { SimContext } from './controllers/context';
import { ControllerManager } from './controllers/manager';

export class Cluster {
  readonly store = new Store();
  readonly api = new ObjectApi(this.store);
  readonly logs = new LogStore();
  readonly behaviors = new ImageBehaviors();
  readonly ctx: SimContext;
  readonly controllers: ControllerManager;

  constructor(options: { podStartupMs: number; caPem: string }) {
    this.ctx = new SimContext(this.api, this.store, this.behaviors, this.logs, options);
    this.controllers = new ControllerManager(this.ctx);
  }

  /** Starts the controllers: from now on, changes are acted upon. */
  start() {
    this.controllers.start();
  }

  stop() {
    this.controllers.stop();
  }
}
