// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci memory_lock helpers, shared by the other files of vfio-pci:
 * whether BAR memory responds to the user (memory decode as the user set
 * it in the virtual command register, and the power state), power state
 * changes, taking memory_lock for write with the BAR mappings zapped,
 * and turning memory decode on for an access of the kernel's own.  This
 * file calls no other file of vfio-pci (see vfio_pci_priv.h).
 */
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vfio_pci_priv.h"

/*
 * pci_set_power_state() for devices that lose their state on the way to
 * D3hot (NoSoftRst-): the state is saved before and restored after.
 */
int vfio_pci_set_power_state(struct vfio_pci_device *vdev, pci_power_t state)
{
	struct pci_dev *pdev = vdev->pdev;
	bool needs_save = false, needs_restore = false;
	int ret;

	lockdep_assert_held_write(&vdev->memory_lock);

	if (vdev->needs_pm_restore) {
		bool now_d3 = !vfio_pci_power_below(pdev->current_state,
						    PCI_D3hot);

		if (!now_d3 && !vfio_pci_power_below(state, PCI_D3hot)) {
			pci_save_state(pdev);
			needs_save = true;
		}
		if (now_d3 && state == PCI_D0)
			needs_restore = true;
	}

	ret = pci_set_power_state(pdev, state);
	if (ret)
		return ret;

	/* D3 may be refused by a quirk: only keep the state if we got there */
	if (needs_save &&
	    !vfio_pci_power_below(pdev->current_state, PCI_D3hot)) {
		kfree(vdev->pm_save);
		vdev->pm_save = pci_store_saved_state(pdev);
	} else if (needs_restore) {
		pci_load_and_free_saved_state(pdev, &vdev->pm_save);
		pci_restore_state(pdev);
	}
	return 0;
}

/* Does BAR memory respond to the user's accesses now? */
bool vfio_pci_memory_enabled(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 cmd = vfio_pci_vconfig_command(vdev);

	lockdep_assert_held(&vdev->memory_lock);

	/*
	 * No BAR responds in D3hot.  A VF has no memory enable bit of its
	 * own (the PF's SR-IOV capability has it).
	 */
	return vfio_pci_power_below(pdev->current_state, PCI_D3hot) &&
	       (pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY));
}

/*
 * Zaps the pages of every BAR mapping, and returns with vma_lock held so
 * that none can fault in again before the caller takes memory_lock.
 * mmap_lock nests outside vma_lock, so vma_lock is dropped to take each
 * process's mmap_lock.  The write side is taken, so that no munmap()
 * (which may tear down page tables under a downgraded mmap_lock) runs
 * concurrently with the zap.  With @try, gives up (returns false, no
 * lock held) rather than wait for a lock: for callers that hold the
 * vma_lock of another device.
 */
bool vfio_pci_zap_and_vma_lock(struct vfio_pci_device *vdev, bool try)
{
	struct vfio_pci_vma *mv;
	struct mm_struct *mm;

	for (;;) {
		if (!try)
			mutex_lock(&vdev->vma_lock);
		else if (!mutex_trylock(&vdev->vma_lock))
			return false;

		mm = NULL;
		list_for_each_entry(mv, &vdev->vma_list, next) {
			if (!mv->mapped)
				continue;
			if (mmget_not_zero(mv->vma->vm_mm)) {
				mm = mv->vma->vm_mm;
				break;
			}
			/* No task uses the mm: its pages are going away */
			mv->mapped = false;
		}
		if (!mm)
			return true;
		mutex_unlock(&vdev->vma_lock);

		if (!try) {
			mmap_write_lock(mm);
			mutex_lock(&vdev->vma_lock);
		} else if (!mmap_write_trylock(mm)) {
			mmput(mm);
			return false;
		} else if (!mutex_trylock(&vdev->vma_lock)) {
			mmap_write_unlock(mm);
			mmput(mm);
			return false;
		}

		list_for_each_entry(mv, &vdev->vma_list, next) {
			struct vm_area_struct *vma = mv->vma;

			if (!mv->mapped || vma->vm_mm != mm)
				continue;
			zap_vma_ptes(vma, vma->vm_start,
				     vma->vm_end - vma->vm_start);
			mv->mapped = false;
		}
		mutex_unlock(&vdev->vma_lock);
		mmap_write_unlock(mm);
		mmput(mm);
	}
}

void vfio_pci_zap_and_down_write_memory_lock(struct vfio_pci_device *vdev)
{
	vfio_pci_zap_and_vma_lock(vdev, false);
	down_write(&vdev->memory_lock);
	mutex_unlock(&vdev->vma_lock);
}

/*
 * Takes memory_lock for write and turns memory decode on in hardware for
 * an access of the kernel's own (MSI-X table, ROM); returns the command
 * register to restore.
 */
u16 vfio_pci_memory_lock_and_enable(struct vfio_pci_device *vdev)
{
	u16 cmd;

	down_write(&vdev->memory_lock);
	pci_read_config_word(vdev->pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(vdev->pdev, PCI_COMMAND,
				      cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

void vfio_pci_memory_unlock_and_restore(struct vfio_pci_device *vdev, u16 cmd)
{
	pci_write_config_word(vdev->pdev, PCI_COMMAND, cmd);
	up_write(&vdev->memory_lock);
}
